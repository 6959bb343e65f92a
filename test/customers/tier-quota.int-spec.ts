import { createTestApp, Session, TestApp } from '../support/test-app';
import { insertCustomer } from './fixtures';

/** Tier quotas and regions where customers are assigned: manual reassignment and the handover of an exiting partner. */
describe('tier quota and regions on assignment', () => {
  let t: TestApp;
  let manager: Session;
  let full: { id: number; code: string }; // tier C, quota set to 2, holding 2
  let elsewhere: { id: number; code: string }; // tier A, serves 安顺市 only
  let holder: { id: number };

  beforeAll(async () => {
    t = await createTestApp();
    manager = await t.loginAs('channel_manager');
    const admin = await t.loginAs('admin');
    await admin.put('/api/onboarding/tier-policy', { policies: [{ tier: 'A', customerQuota: 200, supportResponseHours: 4 }, { tier: 'B', customerQuota: 100, supportResponseHours: 8 }, { tier: 'C', customerQuota: 2, supportResponseHours: 24 }] }).expect(200);
    full = await t.createPartner({ tier: 'C', region: '贵阳市' });
    elsewhere = await t.createPartner({ tier: 'A', region: '安顺市' });
    holder = await t.createPartner({ tier: 'B', region: '贵阳市' });
    await insertCustomer(t, { partnerId: full.id });
    await insertCustomer(t, { partnerId: full.id });
  });
  afterAll(() => t?.close());

  const reassign = (customerId: number, partnerId: number, extra: object = {}) =>
    manager.post(`/api/customers/${customerId}/assignments`, { partnerId, effectiveOn: '2026-06-01', reason: '调整', ...extra });

  it('refuses an assignment beyond the tier quota with the reason on the field', async () => {
    const c = await insertCustomer(t, { partnerId: holder.id });
    const res = await reassign(c.id, full.id);
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'partnerId' });
    expect(res.body.errors[0].message).toContain('quota of 2');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM customer_assignment WHERE customer_id = $1`, [c.id]);
    expect(n).toBe(1);
  });

  it('refuses a customer outside the partner\'s regions, in Chinese on the page beside the field', async () => {
    const c = await insertCustomer(t, { partnerId: holder.id, region: '花溪区' });
    const res = await reassign(c.id, elsewhere.id);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toContain('outside partner');
    const zh = await t.login(manager.user!.username, undefined, 'zh-CN');
    const form = await zh.postForm(`/customers/${c.id}/reassign`, { holder: `p:${elsewhere.id}`, effectiveOn: '2026-06-01', reason: '调整' }).expect(303);
    const page = await zh.get(form.headers.location).expect(200);
    expect(page.text).toContain('不在合作伙伴');
    // a county of the partner's own prefecture is inside its region
    const inside = await insertCustomer(t, { partnerId: holder.id, region: '花溪区' });
    await t.db.query(`UPDATE partner SET region = '贵阳市' WHERE id = $1`, [elsewhere.id]);
    expect((await reassign(inside.id, elsewhere.id)).status).toBe(201);
    await t.db.query(`UPDATE partner SET region = '安顺市' WHERE id = $1`, [elsewhere.id]);
  });

  it('lets a manager override with a reason, stored on the assignment and audited', async () => {
    const c = await insertCustomer(t, { partnerId: holder.id });
    const res = await reassign(c.id, full.id, { overrideReason: '客户点名由该合作伙伴服务' });
    expect(res.status).toBe(201);
    const [a] = await t.db.query(`SELECT partner_id, override_reason FROM customer_assignment WHERE customer_id = $1 AND valid_to IS NULL`, [c.id]);
    expect(a).toEqual({ partner_id: full.id, override_reason: '客户点名由该合作伙伴服务' });
    const [audit] = await t.db.query(`SELECT after FROM audit_log WHERE action = 'customer.reassign' AND entity_id = $1`, [String(c.id)]);
    expect(audit.after.quotaOverride).toBe('客户点名由该合作伙伴服务');
    // within quota and region nothing is marked as overridden
    const ok = await insertCustomer(t, { partnerId: full.id });
    expect((await reassign(ok.id, holder.id, { overrideReason: 'not needed' })).status).toBe(201);
    const [b] = await t.db.query(`SELECT override_reason FROM customer_assignment WHERE customer_id = $1 AND valid_to IS NULL`, [ok.id]);
    expect(b.override_reason).toBeNull();
  });

  it('applies the same rule to the handover of an exiting partner, with the same override', async () => {
    const exiting = await t.createPartner({ tier: 'B', region: '贵阳市', status: 'exiting' });
    const c1 = await insertCustomer(t, { partnerId: exiting.id });
    const c2 = await insertCustomer(t, { partnerId: exiting.id });
    const [p] = await t.db.query(`INSERT INTO exit_proposal (partner_id, trigger, status, decided_at, reason) VALUES ($1, 'voluntary', 'approved', now(), 'test') RETURNING id`, [exiting.id]);
    const [h] = await t.db.query(`INSERT INTO handover (proposal_id, partner_id) VALUES ($1, $2) RETURNING id`, [p.id, exiting.id]);
    const [i1] = await t.db.query(`INSERT INTO handover_item (handover_id, customer_id) VALUES ($1, $2) RETURNING id`, [h.id, c1.id]);
    const [i2] = await t.db.query(`INSERT INTO handover_item (handover_id, customer_id) VALUES ($1, $2) RETURNING id`, [h.id, c2.id]);
    const [{ n: held }] = await t.db.query(`SELECT count(*)::int AS n FROM customer_assignment WHERE partner_id = $1 AND valid_to IS NULL`, [full.id]);
    expect(held).toBeGreaterThanOrEqual(2); // full is at (or over) its quota of 2
    const refused = await manager.post(`/api/exits/handover-items/${i1.id}/assign`, { partnerId: full.id, effectiveOn: '2026-06-01' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('partnerId');
    const wrongRegion = await manager.post(`/api/exits/handover-items/${i2.id}/assign`, { partnerId: elsewhere.id, effectiveOn: '2026-06-01' });
    expect(wrongRegion.status).toBe(422);
    const ok = await manager.post(`/api/exits/handover-items/${i1.id}/assign`, { partnerId: full.id, effectiveOn: '2026-06-01', overrideReason: '唯一具备资质的合作伙伴' });
    expect(ok.status).toBeLessThan(300);
    const [a] = await t.db.query(`SELECT partner_id, override_reason FROM customer_assignment WHERE customer_id = $1 AND valid_to IS NULL`, [c1.id]);
    expect(a).toEqual({ partner_id: full.id, override_reason: '唯一具备资质的合作伙伴' });
    // a receiver within quota and region needs no override
    expect((await manager.post(`/api/exits/handover-items/${i2.id}/assign`, { partnerId: holder.id, effectiveOn: '2026-06-01' })).status).toBeLessThan(300);
  });

  it('offers the import a service method that counts the rows it assigns', async () => {
    const { CustomersService } = await import('../../src/modules/customers/customers.service');
    const svc = t.get(CustomersService);
    expect(await svc.assignmentRefusals(holder.id, '贵阳市', { adding: 1 })).toEqual([]);
    expect((await svc.assignmentRefusals(holder.id, '贵阳市', { adding: 1000 })).map((r) => r.message)).toEqual(['customers:errors.quotaFull']);
  });

  it('refuses a customer import beyond a partner\'s quota or outside its regions, row by row, and imports nothing', async () => {
    // full holds 2 of its quota of 2 (plus any the tests above moved there): a third is refused, as is a 安顺 partner's 贵阳 customer
    const [{ n: fullHolds }] = await t.db.query(`SELECT count(*)::int AS n FROM customer_assignment WHERE partner_id = $1 AND valid_to IS NULL`, [full.id]);
    await t.db.query(`UPDATE partner SET region = '安顺市' WHERE id = $1`, [elsewhere.id]);
    const csv = ['code,name,industry,region,class,stage,partner_code,assigned_from',
      `QUOTA-IMP-1,配额测试一,制造业,贵阳市,B,development,${(await t.db.query(`SELECT code FROM partner WHERE id = $1`, [holder.id]))[0].code},2026-06-01`,
      `QUOTA-IMP-2,配额测试二,制造业,贵阳市,B,development,${full.code},2026-06-01`,
      `QUOTA-IMP-3,配额测试三,制造业,贵阳市,B,development,${elsewhere.code},2026-06-01`].join('\n');
    const res = await manager.upload('/api/customers/import', 'file', csv);
    expect(res.status).toBe(422);
    expect(fullHolds).toBeGreaterThanOrEqual(2);
    expect(res.body.rows.map((r: { row: number; column: string }) => [r.row, r.column])).toEqual([[3, 'partner_code'], [4, 'partner_code']]);
    expect(res.body.rows[0].message).toContain('quota of 2');
    expect(res.body.rows[1].message).toContain('outside partner');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM customer WHERE code LIKE 'QUOTA-IMP-%'`))[0].n).toBe(0);
  });
});
