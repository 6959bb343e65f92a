import { createTestApp, Session, TestApp } from '../support/test-app';
import { insertCustomer } from './fixtures';
import { periodOfDate, todayIso } from '../../src/core/period/period.util';
import { shiftedDueDate } from '../../src/modules/duties/class-change.util';

/** Customer master data (#17): create one customer in the page (assignment rules), edit it, change its class with a reason. */
describe('customers: master data people can maintain', () => {
  let t: TestApp;
  let manager: Session;
  let partnerUser: Session;
  let gy: { id: number; code: string };
  let anshun: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    manager = await t.loginAs('channel_manager');
    gy = await t.createPartner({ tier: 'A', region: '贵阳市' });
    anshun = await t.createPartner({ tier: 'A', region: '安顺市' });
    partnerUser = await t.loginAs('partner', { partnerId: gy.id });
  });
  afterAll(() => t?.close());

  const count = async (sql: string, params: unknown[]) => (await t.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n as number;

  it('creates one customer from the page form with its holding partner, audited', async () => {
    expect((await manager.get('/customers/new').expect(200)).text).toContain('name="customerClass"');
    const res = await manager.postForm('/customers', { code: 'MD-C-001', name: '贵州测试集团', industry: '制造业', region: 'Guiyang', customerClass: 'B', stage: 'development', partnerId: gy.id, effectiveOn: todayIso() }).expect(303);
    const [c] = await t.db.query(`SELECT id, name, region, customer_class, stage FROM customer WHERE code = 'MD-C-001'`);
    expect(c).toMatchObject({ name: '贵州测试集团', region: '贵阳市', customer_class: 'B', stage: 'development' });
    expect(res.headers.location).toBe(`/customers/${c.id}`);
    const [a] = await t.db.query(`SELECT partner_id, valid_from::text AS "from", valid_to FROM customer_assignment WHERE customer_id = $1`, [c.id]);
    expect(a).toEqual({ partner_id: gy.id, from: todayIso(), valid_to: null });
    const actions = (await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'customer' AND entity_id = $1 ORDER BY id`, [String(c.id)])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['customer.create', 'customer.reassign']);
    expect((await manager.get(`/customers/${c.id}`).expect(200)).text).toContain('data-testid="customer-class"');
  });

  it('applies the assignment rules: outside the partner\'s regions is refused in zh-CN beside the field with the input kept, nothing created; a manager\'s override reason lets it through', async () => {
    t.lang = 'zh-CN';
    const zh = await t.loginAs('channel_manager');
    t.lang = 'en';
    const form = { code: 'MD-C-002', name: '遵义测试公司', industry: '能源', region: '贵阳市', customerClass: 'A', stage: 'acquisition', partnerId: anshun.id, effectiveOn: todayIso() };
    const refused = await zh.postForm('/customers', form).set('Host', 'portal.test').set('Referer', 'http://portal.test/customers/new');
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe('/customers/new');
    const back = await zh.get('/customers/new').expect(200);
    expect(back.text).toContain('value="MD-C-002"');
    expect(back.text).toContain('value="遵义测试公司"');
    expect(back.text).toContain('不在合作伙伴');
    expect(await count(`customer WHERE code = $1`, ['MD-C-002'])).toBe(0);

    const api = await manager.post('/api/customers', { ...form, overrideReason: '安顺伙伴跨区服务，经理批准' }).expect(201);
    const [a] = await t.db.query(`SELECT partner_id, override_reason FROM customer_assignment WHERE customer_id = $1`, [api.body.id]);
    expect(a).toEqual({ partner_id: anshun.id, override_reason: '安顺伙伴跨区服务，经理批准' });
  });

  it('refuses a taken code and an unknown region with the field named', async () => {
    await insertCustomer(t, { code: 'MD-TAKEN' });
    const dup = await manager.post('/api/customers', { code: 'MD-TAKEN', name: 'x', industry: 'y', region: '贵阳市', customerClass: 'A' }).expect(422);
    expect(dup.body.errors[0]).toMatchObject({ field: 'code' });
    const region = await manager.post('/api/customers', { code: 'MD-C-003', name: 'x', industry: 'y', region: '火星', customerClass: 'A' }).expect(422);
    expect(region.body.errors[0]).toMatchObject({ field: 'region' });
  });

  it('edits name, industry and region with one history row per changed field and an audit entry', async () => {
    const c = await insertCustomer(t, { region: '贵阳市' });
    await manager.postForm(`/customers/${c.id}/edit`, { name: '新名称有限公司', industry: 'mining', region: '遵义市', reason: '工商变更' }).expect(303);
    const rows = await t.db.query(`SELECT field, old_value, new_value, reason, changed_by FROM customer_change WHERE customer_id = $1 ORDER BY id`, [c.id]);
    expect(rows.map((r: { field: string; old_value: string; new_value: string }) => [r.field, r.old_value, r.new_value])).toEqual([['name', `Customer ${c.code}`, '新名称有限公司'], ['region', '贵阳市', '遵义市']]);
    expect(rows[0]).toMatchObject({ reason: '工商变更', changed_by: manager.user!.id });
    const [audit] = await t.db.query(`SELECT before, after, reason FROM audit_log WHERE action = 'customer.update' AND entity_id = $1`, [String(c.id)]);
    expect(audit).toEqual({ before: { name: `Customer ${c.code}`, region: '贵阳市' }, after: { name: '新名称有限公司', region: '遵义市' }, reason: '工商变更' });
    const page = await manager.get(`/customers/${c.id}/edit`).expect(200);
    expect(page.text).toContain('新名称有限公司');
    expect((await manager.getJson(`/api/customers/${c.id}/changes`).expect(200)).body).toHaveLength(2);
  });

  it('a class change with its reason moves the due dates and counts of the open items of the current quarter only', async () => {
    const c = await insertCustomer(t, { partnerId: gy.id, cls: 'C', stage: 'development' });
    const today = todayIso();
    const q = periodOfDate(today);
    const prev = periodOfDate(new Date(Date.UTC(Number(q.start.slice(0, 4)), Number(q.start.slice(5, 7)) - 1, 0)).toISOString().slice(0, 10));
    const [promo] = await t.db.query(`SELECT id, required_a FROM duty_template WHERE stage = 'development' AND code = 'promotion'`);
    const [done] = await t.db.query(`SELECT id FROM duty_template WHERE stage = 'development' AND code = 'business_handling'`);
    const insert = (period: string, templateId: number, due: string, status = 'open', fulfilled = 0) => t.db.query(
      `INSERT INTO checklist_item (period, customer_id, duty_template_id, stage, partner_id, required_count, fulfilled_count, due_date, status)
       VALUES ($1, $2, $3, 'development', $4, 1, $5, $6, $7) RETURNING id`, [period, c.id, templateId, gy.id, fulfilled, due, status]).then((r) => r[0].id as string);
    const open = await insert(q.code, promo.id, q.end);
    const fulfilled = await insert(q.code, done.id, q.end, 'fulfilled', 1);
    const old = await insert(prev.code, promo.id, prev.end);

    // refused without a reason: nothing changes
    expect((await manager.post(`/api/customers/${c.id}/class`, { customerClass: 'A', classReason: ' ' })).status).toBe(422);
    expect((await t.db.query(`SELECT customer_class FROM customer WHERE id = $1`, [c.id]))[0].customer_class).toBe('C');

    await manager.postForm(`/customers/${c.id}/class`, { customerClass: 'A', classReason: '年收入大幅增长，升为 A 类' }).expect(303);
    const item = async (id: string) => (await t.db.query(`SELECT due_date::text AS due, required_count, status FROM checklist_item WHERE id = $1`, [id]))[0];
    // development's class time limits are 4/8/24 h: C → A pulls the time left in to a sixth
    const expected = shiftedDueDate(q.end, today, q, 24, 4);
    if (today < q.end) expect(expected < q.end).toBe(true);
    expect(await item(open)).toEqual({ due: expected, required_count: promo.required_a, status: 'open' });
    expect(await item(fulfilled)).toEqual({ due: q.end, required_count: 1, status: 'fulfilled' });
    expect(await item(old)).toEqual({ due: prev.end, required_count: 1, status: 'open' });

    const [hist] = await t.db.query(`SELECT field, old_value, new_value, reason FROM customer_change WHERE customer_id = $1`, [c.id]);
    expect(hist).toEqual({ field: 'customerClass', old_value: 'C', new_value: 'A', reason: '年收入大幅增长，升为 A 类' });
    const [audit] = await t.db.query(`SELECT before, after, reason FROM audit_log WHERE action = 'customer.class' AND entity_id = $1`, [String(c.id)]);
    expect(audit).toEqual({ before: { customerClass: 'C' }, after: { customerClass: 'A', movedItems: 1 }, reason: '年收入大幅增长，升为 A 类' });
    expect(await count(`audit_log WHERE action = 'duties.class-replan' AND entity_id = $1`, [String(c.id)])).toBe(1);
    // the same class again is refused
    expect((await manager.post(`/api/customers/${c.id}/class`, { customerClass: 'A', classReason: 'again' })).status).toBe(422);
  });

  it('a partner user cannot create, edit or reclassify (403), not even its own customer; nothing changes', async () => {
    const c = await insertCustomer(t, { partnerId: gy.id, cls: 'B' });
    expect((await partnerUser.post('/api/customers', { code: 'MD-P-1', name: 'x', industry: 'y', region: '贵阳市', customerClass: 'A' })).status).toBe(403);
    expect((await partnerUser.patch(`/api/customers/${c.id}`, { name: '黑客' })).status).toBe(403);
    expect((await partnerUser.post(`/api/customers/${c.id}/class`, { customerClass: 'A', classReason: 'x' })).status).toBe(403);
    expect((await partnerUser.postForm(`/customers/${c.id}/class`, { customerClass: 'A', classReason: 'x' })).status).toBe(403);
    expect((await partnerUser.get('/customers/new')).status).toBe(403);
    expect((await partnerUser.getJson(`/api/customers/${c.id}/changes`)).status).toBe(403);
    const [row] = await t.db.query(`SELECT name, customer_class FROM customer WHERE id = $1`, [c.id]);
    expect(row).toEqual({ name: `Customer ${c.code}`, customer_class: 'B' });
    expect(await count(`customer WHERE code = 'MD-P-1'`, [])).toBe(0);
  });

  it('documents the master-data API routes in the OpenAPI document', async () => {
    const doc = (await manager.getJson('/api/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths['/api/customers'] ?? {})).toEqual(expect.arrayContaining(['post']));
    expect(Object.keys(doc.paths['/api/customers/{id}'] ?? {})).toEqual(expect.arrayContaining(['patch']));
    expect(doc.paths['/api/customers/{id}/class']?.post).toBeDefined();
    expect(doc.paths['/api/partners/{id}']?.patch).toBeDefined();
    expect(doc.paths['/api/partners/{id}/changes']?.get).toBeDefined();
  });
});
