import { JobQueue } from '../../src/core/jobs/job-queue.service';
import { notificationsOf } from '../notifications/helpers';
import { waitForJob } from '../support/jobs';
import { createTestApp, Session, TestApp } from '../support/test-app';

describe('policy support requests', () => {
  let t: TestApp;
  let manager: Session;
  let admin: Session;
  let a: { id: number }; // tier A
  let c: { id: number }; // tier C
  let userA: Session;
  let userC: Session;
  let managerUserId: number;

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.createPartner({ tier: 'A' });
    c = await t.createPartner({ tier: 'C' });
    manager = await t.loginAs('channel_manager');
    managerUserId = manager.user!.id;
    admin = await t.loginAs('admin');
    userA = await t.loginAs('partner', { partnerId: a.id });
    userC = await t.loginAs('partner', { partnerId: c.id });
  });
  afterAll(() => t?.close());

  const ask = (s: Session, body: object = {}) => s.post('/api/support-requests', { kind: 'technical', subject: '专线割接', description: '需要核心网配合', ...body });

  it('takes the response time from the tier policy (A 4 h, C 24 h) and tells the managers', async () => {
    const ra = (await ask(userA).expect(201)).body;
    const rc = (await ask(userC, { kind: 'joint_visit' }).expect(201)).body;
    expect(ra).toMatchObject({ status: 'open', tier: 'A', responseHours: 4 });
    expect(rc).toMatchObject({ status: 'open', tier: 'C', responseHours: 24 });
    expect(new Date(ra.dueAt).getTime() - new Date(ra.createdAt).getTime()).toBe(4 * 3_600_000);
    expect(new Date(rc.dueAt).getTime() - new Date(rc.createdAt).getTime()).toBe(24 * 3_600_000);
    // the admin's setting is what counts: change B's hours and a B partner's next request follows it
    await admin.put('/api/onboarding/tier-policy', { policies: [{ tier: 'A', customerQuota: 200, supportResponseHours: 4 }, { tier: 'B', customerQuota: 100, supportResponseHours: 6 }, { tier: 'C', customerQuota: 50, supportResponseHours: 24 }] }).expect(200);
    const b = await t.createPartner({ tier: 'B' });
    const rb = (await ask(await t.loginAs('partner', { partnerId: b.id })).expect(201)).body;
    expect(rb.responseHours).toBe(6);
    const sent = await notificationsOf(t.db, 'support.requested');
    expect(sent.filter((n) => n.recipientUserId === managerUserId).map((n) => n.params.id)).toEqual(expect.arrayContaining([ra.id, rc.id]));
    const [audit] = await t.db.query(`SELECT action, after FROM audit_log WHERE entity_type = 'support_request' AND entity_id = $1`, [String(ra.id)]);
    expect(audit).toMatchObject({ action: 'support.create', after: { tier: 'A', responseHours: 4 } });
  });

  it('refuses a bad kind, an empty description, another partner\'s customer, and staff asking', async () => {
    expect((await ask(userA, { kind: 'party' })).status).toBe(400);
    expect((await ask(userA, { description: '   ' })).status).toBe(422);
    const [cust] = await t.db.query(`INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ('SR-C1', 'C1', 'x', '贵阳市', 'B', 'maturity') RETURNING id`);
    await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2025-01-01', 'fixture')`, [cust.id, c.id]);
    const res = await ask(userA, { customerId: cust.id });
    expect(res.status).toBe(422);
    expect(res.body.errors?.[0]?.field).toBe('customerId');
    expect((await ask(userC, { customerId: cust.id })).status).toBe(201);
    expect((await manager.post('/api/support-requests', { kind: 'technical', subject: 'x', description: 'y' })).status).toBe(403);
  });

  it('queues open requests by tier first, then by due time', async () => {
    // an older C request due earlier still comes after every open A request
    await t.db.query(`UPDATE support_request SET due_at = now() - interval '30 hours', created_at = now() - interval '54 hours' WHERE partner_id = $1`, [c.id]);
    const { rows } = (await manager.getJson('/api/support-requests?status=open').expect(200)).body as { rows: { tier: string; dueAt: string; overdue: boolean }[] };
    const tiers = rows.map((r) => r.tier);
    expect(tiers.indexOf('C')).toBeGreaterThan(tiers.lastIndexOf('A'));
    expect(tiers.indexOf('C')).toBeGreaterThan(tiers.lastIndexOf('B'));
    expect(rows.filter((r) => r.tier === 'C').every((r) => r.overdue)).toBe(true);
    const page = await manager.get('/support').expect(200);
    expect(page.text.indexOf('专线割接')).toBeGreaterThan(0);
    // #18: the partner filter is a typed code (any case), not a select of every partner; an unknown code matches nothing
    expect(page.text).not.toContain(`<option value="${a.id}"`);
    const [{ code: cCode }] = await t.db.query(`SELECT code FROM partner WHERE id = $1`, [c.id]);
    const typed = await manager.get(`/support?partner=${encodeURIComponent(cCode.toLowerCase())}`).expect(200);
    expect(typed.text).toContain(`value="${cCode}"`);
    expect(typed.text).toContain('专线割接');
    expect((await manager.get('/support?partner=NOPE-404').expect(200)).text).not.toContain('专线割接');
    expect((await manager.getJson('/api/support-requests?overdue=1').expect(200)).body.rows.every((r: { tier: string }) => r.tier === 'C')).toBe(true);
  });

  it('alerts overdue requests once, through the durable job, and tells the managers', async () => {
    const id = await t.get(JobQueue).enqueue('support.overdue', {}, { createdBy: admin.user!.id });
    const job = await waitForJob(admin, id);
    expect(job.state).toBe('completed');
    const flagged = await t.db.query(`SELECT id FROM support_request WHERE overdue_alerted_at IS NOT NULL ORDER BY id`);
    const overdueC = await t.db.query(`SELECT id FROM support_request WHERE partner_id = $1 ORDER BY id`, [c.id]);
    expect(flagged).toEqual(overdueC);
    const alerts = (await notificationsOf(t.db, 'support.overdue')).filter((n) => n.recipientUserId === managerUserId);
    expect(alerts.map((n) => n.params.id).sort()).toEqual(overdueC.map((r: { id: number }) => r.id).sort());
    // a second run alerts nobody again
    const { SupportService } = await import('../../src/modules/support/support.service');
    expect(await t.get(SupportService).raiseOverdueAlerts()).toBe(0);
  });

  it('answers, lets only the owner rate 1–5, and closes it', async () => {
    const r = (await ask(userA, { subject: '评价测试' }).expect(201)).body;
    expect((await userA.post(`/api/support-requests/${r.id}/rating`, { rating: 5 })).status).toBe(422); // not answered yet
    expect((await userA.post(`/api/support-requests/${r.id}/answer`, { answer: 'self' })).status).toBe(403);
    const answered = (await manager.post(`/api/support-requests/${r.id}/answer`, { answer: '已安排工程师周六到场' }).expect(200)).body;
    expect(answered).toMatchObject({ status: 'answered', answer: '已安排工程师周六到场' });
    expect((await notificationsOf(t.db, 'support.answered')).some((n) => n.params.id === r.id && n.recipientUserId === userA.user!.id)).toBe(true);
    expect((await userC.post(`/api/support-requests/${r.id}/rating`, { rating: 5 })).status).toBe(404);
    expect((await userA.post(`/api/support-requests/${r.id}/rating`, { rating: 1 })).status).toBe(422); // a low rating needs a comment
    expect((await userA.post(`/api/support-requests/${r.id}/rating`, { rating: 7, comment: 'x' })).status).toBe(400);
    const rated = (await userA.post(`/api/support-requests/${r.id}/rating`, { rating: 4, comment: '及时' }).expect(200)).body;
    expect(rated).toMatchObject({ status: 'closed', rating: 4, ratingComment: '及时' });
    expect((await manager.post(`/api/support-requests/${r.id}/answer`, { answer: 'late' })).status).toBe(422);
    const actions = (await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'support_request' AND entity_id = $1 ORDER BY id`, [String(r.id)])).map((x: { action: string }) => x.action);
    expect(actions).toEqual(['support.create', 'support.answer', 'support.rate']);
  });

  it('keeps partners apart: another partner\'s request answers 404 on every route, and lists only their own', async () => {
    const r = (await ask(userA, { subject: 'A 的机密需求' }).expect(201)).body;
    expect((await userC.getJson(`/api/support-requests/${r.id}`)).status).toBe(404);
    expect((await userC.get(`/my/support/${r.id}`)).status).toBe(404);
    expect((await userC.post(`/my/support/${r.id}/rate`, { rating: 5 }).set('Accept', 'application/json')).status).toBe(404);
    expect((await userC.get(`/documents/on/support_request/${r.id}`)).status).toBe(404);
    const listC = (await userC.getJson('/api/support-requests?partnerId=' + a.id).expect(200)).body.rows as { partnerId: number }[];
    expect(listC.length).toBeGreaterThan(0);
    expect(listC.every((x) => x.partnerId === c.id)).toBe(true);
    const myPage = await userC.get('/my/support').expect(200);
    expect(myPage.text).not.toContain('A 的机密需求');
    expect((await userA.get(`/documents/on/support_request/${r.id}`)).status).toBe(200);
  });

  it('works through the pages: ask, answer, rate, with form errors beside the field', async () => {
    const refused = await userA.postForm('/my/support', { kind: '', subject: '', description: '' });
    expect(refused.status).toBe(303);
    const form = await userA.get(refused.headers.location).expect(200);
    expect(form.text).toContain('Please choose the kind of support');
    const created = await userA.postForm('/my/support', { kind: 'marketing', subject: '宣传折页', description: '需要 5G 专网宣传折页', customerId: '' }).expect(303);
    const id = Number(/\/my\/support\/(\d+)$/.exec(created.headers.location)![1]);
    expect((await userA.get(`/my/support/${id}`).expect(200)).text).toContain('宣传折页');
    await manager.postForm(`/support/${id}/answer`, { answer: '已上传折页' }).expect(303);
    expect((await manager.get(`/support/${id}`).expect(200)).text).toContain('已上传折页');
    await userA.postForm(`/my/support/${id}/rate`, { rating: 5, comment: '' }).expect(303);
    const [row] = await t.db.query(`SELECT status, rating FROM support_request WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'closed', rating: 5 });
    const xlsx = await manager.get('/support?format=xlsx').expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });
});
