import { createTestApp, Session, TestApp } from '../support/test-app';

describe('churn early warning', () => {
  let t: TestApp;
  let manager: Session;
  let admin: Session;
  let userA: Session;
  let userB: Session;
  let partnerA: { id: number; code: string };
  let partnerB: { id: number; code: string };

  const customer = async (code: string, partnerId: number, stage = 'maturity', region = '贵阳市') => {
    const [c] = await t.db.query(`INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ($1, $1, 'retail', $2, 'B', $3) RETURNING id`, [code, region, stage]);
    await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', 'fixture')`, [c.id, partnerId]);
    return c.id as number;
  };
  const warnings = (customerId: number) => t.db.query(`SELECT id, cause, status, partner_id AS "partnerId", due_on::text AS "dueOn", detail FROM retention_warning WHERE customer_id = $1 ORDER BY id`, [customerId]);

  beforeAll(async () => {
    t = await createTestApp();
    partnerA = await t.createPartner();
    partnerB = await t.createPartner();
    manager = await t.loginAs('channel_manager');
    admin = await t.loginAs('admin');
    userA = await t.loginAs('partner', { partnerId: partnerA.id });
    userB = await t.loginAs('partner', { partnerId: partnerB.id });
  });
  afterAll(() => t?.close());

  it('a move into decline raises one warning with a retention task, in the stage change\'s transaction; churn while open adds none', async () => {
    const id = await customer('RT-STAGE', partnerA.id);
    await manager.post(`/api/customers/${id}/stage`, { stage: 'decline', effectiveOn: '2026-11-01', reason: '业务量持续下滑' }).expect(201);
    const [w] = await warnings(id);
    expect(w).toMatchObject({ cause: 'stage', status: 'open', partnerId: partnerA.id, detail: { from: 'maturity', to: 'decline' } });
    const [{ days }] = await t.db.query(`SELECT (due_on - (raised_at AT TIME ZONE 'Asia/Shanghai')::date) AS days FROM retention_warning WHERE id = $1`, [w.id]);
    expect(days).toBe(14);
    const told = await t.db.query(`SELECT recipient_user_id AS "userId", link FROM notification WHERE kind = 'retention.warning' AND event_key = $1`, [`retention.warning:${w.id}`]);
    expect(told).toEqual(expect.arrayContaining([{ userId: userA.user!.id, link: `/my/retention/${w.id}` }, { userId: manager.user!.id, link: `/retention/${w.id}` }]));
    await manager.post(`/api/customers/${id}/stage`, { stage: 'churn', effectiveOn: '2026-11-15', reason: '客户提出销户' }).expect(201);
    expect(await warnings(id)).toHaveLength(1);
    // the database itself keeps one open warning per customer and cause
    await expect(t.db.query(`INSERT INTO retention_warning (customer_id, cause, due_on) VALUES ($1, 'stage', '2026-12-31')`, [id])).rejects.toThrow(/retention_warning_open_uq/);
    // a refused stage change raises nothing
    const other = await customer('RT-STAGE-2', partnerA.id);
    expect((await manager.post(`/api/customers/${other}/stage`, { stage: 'decline', effectiveOn: 'not-a-date', reason: 'x' })).status).toBe(400);
    expect(await warnings(other)).toHaveLength(0);
  });

  it('accruals down more than the setting quarter on quarter raise a warning, once per period (set-based)', async () => {
    const falling = await customer('RT-ACC-1', partnerB.id, 'maturity', '遵义市');
    const steady = await customer('RT-ACC-2', partnerB.id, 'maturity', '遵义市');
    const [imp] = await t.db.query(`INSERT INTO accrual_import (period, line_count, total_amount) VALUES ('2026Q3', 4, 0) RETURNING id`);
    let n = 0;
    const line = (period: string, customerId: number | null, code: string, amount: string) => t.db.query(
      `INSERT INTO accrual_line (import_id, period, row_no, partner_id, customer_id, customer_code, product, accrual_date, amount, reference) VALUES ($1, $2, $3, $4, $5, $6, 'dedicated line', $7, $8, $9)`,
      [imp.id, period, ++n, partnerB.id, customerId, code, period === '2026Q2' ? '2026-05-10' : '2026-08-10', amount, `RT-${n}`]);
    await line('2026Q2', falling, 'RT-ACC-1', '1000.00');
    await line('2026Q3', null, 'RT-ACC-1', '600.00'); // matched by code
    await line('2026Q2', steady, 'RT-ACC-2', '1000.00');
    await line('2026Q3', steady, 'RT-ACC-2', '700.00'); // exactly 30 %: not beyond the threshold
    expect((await manager.post('/api/retention/evaluate', { period: '2026Q3' }).expect(201)).body).toEqual({ raised: 1 });
    const [w] = await warnings(falling);
    expect(w).toMatchObject({ cause: 'accrual_drop', partnerId: partnerB.id, detail: { period: '2026Q3', previousPeriod: '2026Q2', previous: '1000.00', current: '600.00', drop: '40.00', threshold: '30.00' } });
    expect(await warnings(steady)).toHaveLength(0);
    expect((await manager.post('/api/retention/evaluate', { period: '2026Q3' }).expect(201)).body).toEqual({ raised: 0 });
    // a lower threshold (admin setting) catches the 30 % drop
    await admin.put('/api/retention/settings', { accrualDropPercent: '25', taskDays: 10 }).expect(200);
    expect((await manager.post('/api/retention/evaluate', { period: '2026Q3' }).expect(201)).body).toEqual({ raised: 1 });
    expect((await manager.post('/api/retention/evaluate', { period: '2026Q9' })).status).toBe(400);
  });

  it('a warning closes with an outcome: lost needs a reason; the partner closes only its own', async () => {
    const id = await customer('RT-CLOSE', partnerA.id);
    await manager.post(`/api/customers/${id}/stage`, { stage: 'churn', effectiveOn: '2026-11-20', reason: '客户销户' }).expect(201);
    const [w] = await warnings(id);
    expect((await userB.getJson(`/api/retention/${w.id}`)).status).toBe(404);
    expect((await userB.post(`/api/retention/${w.id}/close`, { outcome: 'retained' })).status).toBe(404);
    expect((await userB.get(`/my/retention/${w.id}`)).status).toBe(404);
    const noReason = await userA.post(`/api/retention/${w.id}/close`, { outcome: 'lost', reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0].field).toBe('reason');
    const closed = (await userA.post(`/api/retention/${w.id}/close`, { outcome: 'lost', reason: '客户被竞争对手低价挖走' }).expect(201)).body;
    expect(closed).toMatchObject({ status: 'closed', outcome: 'lost', outcomeReason: '客户被竞争对手低价挖走' });
    expect((await userA.post(`/api/retention/${w.id}/close`, { outcome: 'retained' })).status).toBe(422);
    const [a] = await t.db.query(`SELECT action, reason FROM audit_log WHERE entity_type = 'retention_warning' AND entity_id = $1 AND action = 'retention.close'`, [String(w.id)]);
    expect(a.reason).toBe('客户被竞争对手低价挖走');
    // closed: the same cause may be raised again later
    await manager.post(`/api/customers/${id}/stage`, { stage: 'decline', effectiveOn: '2026-11-25', reason: '重新签约后再次下滑' }).expect(201);
    expect((await warnings(id)).map((x: { status: string }) => x.status)).toEqual(['closed', 'open']);
  });

  it('lists customers at risk per region and manager, for each side, and exports them', async () => {
    const mine = (await userA.getJson('/api/retention?status=open').expect(200)).body;
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((r: { partnerId: number }) => r.partnerId === partnerA.id)).toBe(true);
    const zunyi = (await manager.getJson(`/api/retention?region=${encodeURIComponent('遵义市')}`).expect(200)).body;
    expect(zunyi.rows.length).toBeGreaterThan(0);
    expect(zunyi.rows.every((r: { region: string }) => r.region === '遵义市')).toBe(true);
    const page = await manager.get('/retention').expect(200);
    expect(page.text).toContain('遵义市');
    expect(page.text).toContain('RT-ACC-1');
    // #18: regions offered from the customers (loose index scan), the partner typed as its code — no select of every partner
    expect(page.text).toContain(`<option value="遵义市"`);
    expect(page.text).toContain(`<input id="f-partner" name="partner"`);
    const openCodes = async (own: boolean) => (await t.db.query(`SELECT DISTINCT c.code FROM retention_warning w JOIN customer c ON c.id = w.customer_id
      WHERE w.status = 'open' AND (w.partner_id = $1) = $2`, [partnerA.id, own])).map((r: { code: string }) => `<code>${r.code}</code>`);
    const [ownCodes, otherCodes] = [await openCodes(true), await openCodes(false)];
    expect(ownCodes.length).toBeGreaterThan(0);
    const shown = (html: string) => [...ownCodes, ...otherCodes].filter((c) => html.includes(c)).sort();
    const typed = (await manager.get(`/retention?partner=${encodeURIComponent(partnerA.code.toLowerCase())}`).expect(200)).text;
    expect(shown(typed)).toEqual([...ownCodes].sort());
    expect(typed).toContain(`value="${partnerA.code}"`);
    expect(shown((await manager.get(`/retention?partnerId=${partnerA.id}`).expect(200)).text)).toEqual([...ownCodes].sort());
    expect(shown((await manager.get('/retention?partner=NOPE-404').expect(200)).text)).toEqual([]);
    const [w] = await t.db.query(`SELECT id FROM retention_warning WHERE partner_id = $1 ORDER BY id LIMIT 1`, [partnerA.id]);
    expect((await manager.get(`/retention/${w.id}`)).status).toBe(200);
    expect((await userA.get(`/my/retention/${w.id}`)).status).toBe(200);
    expect((await userA.get('/my/retention')).status).toBe(200);
    const x = await manager.get('/retention?format=xlsx').expect(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    // the page form closes with CSRF in the body and returns to the warning
    const [open] = await t.db.query(`SELECT id FROM retention_warning WHERE partner_id = $1 AND status = 'open' ORDER BY id LIMIT 1`, [partnerA.id]);
    const res = await userA.postForm(`/retention/${open.id}/close`, { outcome: 'retained', reason: '续签两年' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/my/retention/${open.id}`);
  });
});
