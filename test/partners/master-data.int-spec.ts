import { createTestApp, Session, TestApp } from '../support/test-app';
import { todayIso } from '../../src/core/period/period.util';

/** Partner master data (#17): edit by channel managers and admins, history, audit, exit trigger from the edited end. */
describe('partners: master data people can maintain', () => {
  let t: TestApp;
  let manager: Session;
  let admin: Session;
  let finance: Session;
  let partnerUser: Session;
  let own: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    own = await t.createPartner({ contactName: '张三', contactPhone: '0851-86000001', contactEmail: 'a@example.cn', contractEndOn: '2099-12-31' });
    manager = await t.loginAs('channel_manager');
    admin = await t.loginAs('admin');
    finance = await t.loginAs('finance');
    partnerUser = await t.loginAs('partner', { partnerId: own.id });
  });
  afterAll(() => t?.close());

  const CONTACT = { contactName: '张三', contactPhone: '0851-86000001', contactEmail: 'a@example.cn' };
  const changesOf = (id: number) => t.db.query(`SELECT field, old_value, new_value, reason, changed_by FROM partner_change WHERE partner_id = $1 ORDER BY id`, [id]);

  it('saves the page form: one history row per changed field, one audit entry, shown on the partner page', async () => {
    const p = await t.createPartner({ contactName: '张三', contactPhone: '0851-86000001', contactEmail: 'a@example.cn', region: '贵阳市' });
    const form = await manager.get(`/partners/${p.id}/edit`).expect(200);
    expect(form.text).toContain('name="contactName"');
    await manager.postForm(`/partners/${p.id}/edit`, {
      contactName: '李四', contactPhone: '0851-86000001', contactEmail: 'a@example.cn', address: '贵阳市观山湖区长岭北路 1 号', region: 'Zunyi',
      cooperationType: 'sales_and_service', contractSignedOn: '2025-01-01', contractStartOn: '2025-02-01', contractEndOn: '2027-01-31', reason: '联系人变更',
    }).expect(303);
    const [row] = await t.db.query(`SELECT contact_name, address, region, contract_start_on::text AS start, contract_end_on::text AS "end" FROM partner WHERE id = $1`, [p.id]);
    expect(row).toEqual({ contact_name: '李四', address: '贵阳市观山湖区长岭北路 1 号', region: '遵义市', start: '2025-02-01', end: '2027-01-31' });
    const changes = await changesOf(p.id);
    expect(changes.map((c: { field: string; old_value: string | null; new_value: string }) => [c.field, c.old_value, c.new_value])).toEqual([
      ['contactName', '张三', '李四'], ['address', null, '贵阳市观山湖区长岭北路 1 号'], ['region', '贵阳市', '遵义市'],
      ['contractStartOn', null, '2025-02-01'], ['contractEndOn', null, '2027-01-31'],
    ]);
    expect(changes.every((c: { reason: string; changed_by: number }) => c.reason === '联系人变更' && c.changed_by === manager.user!.id)).toBe(true);
    const audits = await t.db.query(`SELECT action, before, after, reason FROM audit_log WHERE partner_id = $1 AND action = 'partner.update'`, [p.id]);
    expect(audits).toHaveLength(1);
    expect(audits[0].before).toMatchObject({ contactName: '张三', region: '贵阳市' });
    expect(audits[0].after).toMatchObject({ contactName: '李四', region: '遵义市', contractEndOn: '2027-01-31' });
    const page = await manager.get(`/partners/${p.id}`).expect(200);
    expect(page.text).toContain('data-testid="partner-changes"');
    expect(page.text).toContain('长岭北路');
    // saving again unchanged writes nothing
    await manager.patch(`/api/partners/${p.id}`, { contactName: '李四', region: '遵义市' }).expect(200);
    expect(await changesOf(p.id)).toHaveLength(5);
  });

  it('edits through the API and answers the changes; the history API lists them', async () => {
    const p = await t.createPartner({ ...CONTACT, cooperationType: 'sales' });
    const res = await admin.patch(`/api/partners/${p.id}`, { cooperationType: 'service', contactPhone: '13800000000' }).expect(200);
    expect(res.body.changes.map((c: { field: string }) => c.field).sort()).toEqual(['contactPhone', 'cooperationType']);
    const hist = await finance.getJson(`/api/partners/${p.id}/changes`).expect(200);
    expect(hist.body.map((c: { field: string; newValue: string }) => [c.field, c.newValue]).sort()).toEqual([['contactPhone', '13800000000'], ['cooperationType', 'service']]);
    expect(hist.body[0].changedByName).toBeTruthy();
  });

  it('refuses bad input with the field named, changes nothing, and the refused form comes back with what was typed (zh-CN)', async () => {
    const p = await t.createPartner({ ...CONTACT, contractSignedOn: '2025-01-01' });
    const api = await manager.patch(`/api/partners/${p.id}`, { contractStartOn: '2026-06-01', contractEndOn: '2026-05-31' }).expect(422);
    expect(api.body.errors).toEqual([expect.objectContaining({ field: 'contractEndOn' })]);
    expect((await manager.patch(`/api/partners/${p.id}`, { region: '火星' })).status).toBe(422);
    expect(await changesOf(p.id)).toHaveLength(0);

    t.lang = 'zh-CN';
    const zh = await t.loginAs('channel_manager');
    t.lang = 'en';
    const editUrl = `/partners/${p.id}/edit`;
    await zh.get(editUrl).expect(200);
    const refused = await zh.postForm(editUrl, { contactName: '王五', contactPhone: 'not a phone', contactEmail: 'w@example.cn', region: '贵阳市', cooperationType: 'sales', contractEndOn: '' })
      .set('Host', 'portal.test').set('Referer', `http://portal.test${editUrl}`);
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe(editUrl);
    const back = await zh.get(editUrl).expect(200);
    expect(back.text).toContain('value="王五"');
    expect(back.text).toContain('value="not a phone"');
    expect(back.text).toContain('请填写有效的联系电话');
    expect((await t.db.query(`SELECT contact_name FROM partner WHERE id = $1`, [p.id]))[0].contact_name).not.toBe('王五');
  });

  it('a partner user cannot edit: 403 on its own partner, nothing changed; finance neither', async () => {
    expect((await partnerUser.patch(`/api/partners/${own.id}`, { contactName: '黑客' })).status).toBe(403);
    expect((await partnerUser.postForm(`/partners/${own.id}/edit`, { contactName: '黑客' })).status).toBe(403);
    expect((await partnerUser.get(`/partners/${own.id}/edit`)).status).toBe(403);
    expect((await partnerUser.getJson(`/api/partners/${own.id}/changes`)).status).toBe(403);
    expect((await finance.patch(`/api/partners/${own.id}`, { contactName: '财务' })).status).toBe(403);
    expect((await t.db.query(`SELECT contact_name FROM partner WHERE id = $1`, [own.id]))[0].contact_name).toBe('张三');
    // the partner's page shows no edit link to the partner itself
    expect((await partnerUser.get(`/partners/${own.id}`).expect(200)).text).not.toContain('partner-edit-link');
  });

  it('the contract-end exit trigger works from the edited date (a reached end is evaluated at once, as a job)', async () => {
    const p = await t.createPartner({ ...CONTACT, contractEndOn: '2099-12-31' });
    const proposals = () => t.db.query(`SELECT trigger, evidence FROM exit_proposal WHERE partner_id = $1`, [p.id]);
    await manager.post('/api/exits/evaluate', {}).expect(201);
    expect(await proposals()).toHaveLength(0);
    const jobsBefore = (await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'exit.evaluate' AND data->'partnerIds' @> $1::jsonb`, [JSON.stringify([p.id])]))[0].n;
    const end = '2026-06-30' < todayIso() ? '2026-06-30' : todayIso();
    await manager.patch(`/api/partners/${p.id}`, { contractEndOn: end }).expect(200);
    const jobs = await t.db.query(`SELECT data FROM pgboss.job WHERE name = 'exit.evaluate' AND data->'partnerIds' @> $1::jsonb`, [JSON.stringify([p.id])]);
    expect(jobs.length).toBe(jobsBefore + 1);
    expect(jobs[jobs.length - 1].data.cause).toBe('partner.contract_end');
    // whoever evaluates (the job or the CLI) proposes from the edited date
    for (let i = 0; i < 100 && !(await proposals()).length; i++) await new Promise((r) => setTimeout(r, 100));
    if (!(await proposals()).length) await manager.post('/api/exits/evaluate', {}).expect(201);
    expect((await proposals()).map((r: { trigger: string; evidence: unknown }) => [r.trigger, r.evidence])).toEqual([['contract_end', { contractEndOn: end }]]);
  });
});
