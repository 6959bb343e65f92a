import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { PartnerImportService } from '../../src/modules/onboarding/partner-import.service';
import { followJob } from '../support/jobs';
import { createTestApp, Session, TestApp, testCreditCode } from '../support/test-app';

const HEADER = 'code,name,credit_code,cooperation_type,tier,region,contact_name,contact_phone,contact_email,bank_name,bank_account,status';
const line = (n: number, over: Partial<Record<string, string>> = {}) => {
  const v = { code: `ZY-P-${String(n).padStart(5, '0')}`, name: `遵义导入公司${n}`, credit_code: testCreditCode(70_000 + n), cooperation_type: 'service', tier: 'B', region: '遵义市',
    contact_name: '王芳', contact_phone: '0851-2812345', contact_email: `zy${n}@example.cn`, bank_name: '建设银行', bank_account: `62170000${String(n).padStart(8, '0')}`, status: 'active', ...over };
  return HEADER.split(',').map((k) => v[k as keyof typeof v]).join(',');
};
const count = async (t: TestApp) => (await t.db.query(`SELECT count(*)::int AS n FROM partner`))[0].n as number;

describe('partner import', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.loginAs('admin');
    await t.createPartner({ code: 'ZY-P-00099' });
  });
  afterAll(() => t?.close());

  it('imports nothing when one row is bad and reports row and column', async () => {
    const before = await count(t);
    const csv = [HEADER, line(1), line(2), line(3, { contact_email: 'not-an-email', status: 'exiting' }), line(4, { code: 'ZY-P-00002' }), line(5, { code: 'ZY-P-00099' })].join('\n');
    const res = await admin.upload('/api/onboarding/import', 'file', csv);
    expect(res.status).toBe(422);
    expect(res.body.rows).toEqual([
      { row: 4, column: 'status', message: 'must be active or suspended (got "exiting")' },
      { row: 4, column: 'contact_email', message: '"not-an-email" is not an email address' },
      { row: 5, column: 'code', message: 'ZY-P-00002 appears twice in the file (also row 3)' },
      { row: 6, column: 'code', message: 'ZY-P-00099 already exists' },
    ]);
    expect(await count(t)).toBe(before);
  });

  it('refuses a wrong header and a bad checksum through the upload page with a flash', async () => {
    const bad = testCreditCode(70_010).slice(0, 17) + (testCreditCode(70_010).endsWith('0') ? '1' : '0');
    const res = await admin.upload('/onboarding/import', 'file', [HEADER, line(10, { credit_code: bad })].join('\n')).set('Referer', 'http://127.0.0.1/onboarding/import');
    const job = await followJob(admin, res);
    expect(job.result).toMatchObject({ ok: false, errors: [{ row: 2, column: 'credit_code' }] });
    expect(job.page).toMatch(/<td[^>]*>2<\/td><td[^>]*><code>credit_code<\/code><\/td><td[^>]*>check character is wrong/);
    const header = await admin.upload('/api/onboarding/import', 'file', 'code,name\nX,Y');
    expect(header.status).toBe(422);
    expect(header.body.rows[0]).toMatchObject({ row: 1, column: '(header)' });
  });

  it('imports a good file: certification ids, status history, tier history and audit per partner', async () => {
    const csv = [HEADER, line(1), line(2, { status: 'suspended', tier: 'c' }), line(3, { cooperation_type: 'sales_and_service', tier: 'A' })].join('\r\n');
    const progress: number[] = [];
    const r = await t.get(PartnerImportService).import(SYSTEM_ACTOR, Buffer.from('\ufeff' + csv), (done) => progress.push(done));
    expect(r).toMatchObject({ imported: 3, active: 2, suspended: 1 });
    expect(progress).toEqual([3]);
    const rows = await t.db.query(
      `SELECT p.code, p.status, p.tier, p.certification_id,
              (SELECT count(*)::int FROM partner_status_history h WHERE h.partner_id = p.id) AS history,
              (SELECT count(*)::int FROM partner_tier_change c WHERE c.partner_id = p.id AND c.source = 'import') AS tiers,
              (SELECT count(*)::int FROM audit_log a WHERE a.partner_id = p.id AND a.action = 'partner.create') AS audits
         FROM partner p WHERE p.code IN ('ZY-P-00001','ZY-P-00002','ZY-P-00003') ORDER BY p.code`);
    expect(rows.map((x: { code: string; status: string; tier: string; history: number; tiers: number; audits: number }) => [x.code, x.status, x.tier, x.history, x.tiers, x.audits]))
      .toEqual([['ZY-P-00001', 'active', 'B', 1, 1, 1], ['ZY-P-00002', 'suspended', 'C', 1, 1, 1], ['ZY-P-00003', 'active', 'A', 1, 1, 1]]);
    const certs = rows.map((x: { certification_id: string }) => x.certification_id);
    expect(new Set(certs).size).toBe(3);
    for (const c of certs) expect(c).toMatch(/^CERT-\d{4}-\d{6}$/);
    // importing the same file again is refused as duplicates
    const again = await admin.upload('/api/onboarding/import', 'file', csv);
    expect(again.status).toBe(422);
    expect(again.body.rows.filter((e: { column: string }) => e.column === 'code')).toHaveLength(3);
  });

  it('continues generated codes after imported ones', async () => {
    const manager = await t.loginAs('channel_manager');
    const res = await manager.post('/api/onboarding/applications', {
      name: '遵义新申请公司', creditCode: testCreditCode(79_999), contactName: '李', contactPhone: '0851-1111111', contactEmail: 'n@example.cn', region: '遵义市', cooperationType: 'sales',
    }).expect(201);
    expect(res.body.reference).toBe('ZY-P-00100');
  });

  it('maps region spellings to the list and words row errors in Chinese for a zh-CN reader', async () => {
    const u = await t.createUser('admin');
    const zh = await t.login(u.username, u.password, 'zh-CN');
    const bad = [HEADER, line(201, { region: 'Anshun' }), line(202, { region: '上海市', tier: 'D' })].join('\n');
    const res = await zh.upload('/onboarding/import', 'file', bad).set('Host', 'portal.test').set('Referer', 'http://portal.test/onboarding/import');
    const job = await followJob(zh, res);
    expect(job.page).toMatch(/<td[^>]*>3<\/td><td[^>]*><code>tier<\/code><\/td><td[^>]*>须为 A、B 或 C（实为“D”）/);
    expect(job.page).toMatch(/<td[^>]*>3<\/td><td[^>]*><code>region<\/code><\/td><td[^>]*>[^<]*上海市[^<]*贵阳市、遵义市/);
    expect(job.page).toContain('导入合作伙伴');
    const api = await zh.upload('/api/onboarding/import', 'file', bad);
    expect(api.status).toBe(422);
    expect(api.body.rows.map((r: { row: number; column: string }) => `${r.row}:${r.column}`)).toEqual(['3:tier', '3:region']);

    const ok = [HEADER, line(201, { region: 'Anshun' }), line(202, { region: ' 六盘水 ' })].join('\n');
    await zh.upload('/api/onboarding/import', 'file', ok).expect(201);
    const rows = await t.db.query(`SELECT code, region FROM partner WHERE code IN ('ZY-P-00201', 'ZY-P-00202') ORDER BY code`);
    expect(rows).toEqual([{ code: 'ZY-P-00201', region: '安顺市' }, { code: 'ZY-P-00202', region: '六盘水市' }]);
  });
});
