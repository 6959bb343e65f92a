import { createTestApp, TestApp } from '../support/test-app';

/** The organisation certificate carries issuer, issue date and validity, set whenever a certification id is given. */
describe('organisation certificate', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('is issued on the day the certification id is given, valid three years, by the operator', async () => {
    const p = await t.createPartner();
    const [row] = await t.db.query(
      `SELECT certificate_issuer, certificate_issued_on::text AS issued, certificate_valid_until::text AS until, (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS today FROM partner WHERE id = $1`, [p.id]);
    expect(row.certificate_issuer).toBe('中国移动通信集团贵州有限公司集团客户部');
    expect(row.issued).toBe(row.today);
    expect(Number(row.until.slice(0, 4)) - Number(row.issued.slice(0, 4))).toBe(3);
    // a partner without certification has none; giving it one later sets them
    const q = await t.createPartner({ certificationId: null });
    const [before] = await t.db.query(`SELECT certificate_issued_on FROM partner WHERE id = $1`, [q.id]);
    expect(before.certificate_issued_on).toBeNull();
    await t.db.query(`UPDATE partner SET certification_id = 'CERT-2026-999' WHERE id = $1`, [q.id]);
    const [after] = await t.db.query(`SELECT certificate_issued_on::text AS d FROM partner WHERE id = $1`, [q.id]);
    expect(after.d).toBe(row.today);
  });

  it('shows issuer, issue date and validity on the certificate page (expired marked)', async () => {
    const p = await t.createPartner();
    await t.db.query(`UPDATE partner SET certificate_issued_on = '2020-01-10', certificate_valid_until = '2023-01-09' WHERE id = $1`, [p.id]);
    const s = await t.loginAs('partner', { partnerId: p.id });
    const zh = await t.login(s.user!.username, undefined, 'zh-CN');
    const page = await zh.get(`/partners/${p.id}/certificate`).expect(200);
    expect(page.text).toContain('发证单位：中国移动通信集团贵州有限公司集团客户部，发证日期：2020-01-10');
    expect(page.text).toContain('有效期至：2023-01-09');
    expect(page.text).toContain('已过期');
  });
});
