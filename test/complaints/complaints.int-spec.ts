import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { JobQueue } from '../../src/core/jobs/job-queue.service';
import { ComplaintsService } from '../../src/modules/complaints/complaints.service';
import { ScoringInputsService } from '../../src/modules/scoring/scoring-inputs.service';
import { COMPLAINTS_ESCALATE_JOB, ESCALATE_CRON } from '../../src/modules/complaints/complaints.jobs';
import { followJob } from '../support/jobs';
import { createTestApp, Session, TestApp } from '../support/test-app';

const H = 3_600_000;
/** Local (business time zone) wall time to the minute, as the form sends it. */
const local = (at: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}:${p(at.getMinutes())}`;
};

describe('complaint and fault work orders', () => {
  let t: TestApp;
  let manager: Session;
  let userA: Session;
  let userB: Session;
  let partnerA: { id: number; code: string };
  let partnerB: { id: number; code: string };
  let custA: number; // class A, held by partner A
  let custA2: number; // class C, held by partner A
  let custB: number; // held by partner B

  const customer = async (code: string, cls: string, partnerId: number, region = '贵阳市') => {
    const [c] = await t.db.query(`INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ($1, $1, 'retail', $2, $3, 'maturity') RETURNING id`, [code, region, cls]);
    await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', 'fixture')`, [c.id, partnerId]);
    return c.id as number;
  };
  const open = (s: Session, customerId: number, hoursAgo = 0, extra: object = {}) =>
    s.post('/api/complaints', { customerId, kind: 'fault', category: 'network', description: '专线中断', receivedAt: local(new Date(Date.now() - hoursAgo * H)), ...extra });

  beforeAll(async () => {
    t = await createTestApp();
    partnerA = await t.createPartner();
    partnerB = await t.createPartner();
    manager = await t.loginAs('channel_manager');
    userA = await t.loginAs('partner', { partnerId: partnerA.id });
    userB = await t.loginAs('partner', { partnerId: partnerB.id });
    custA = await customer('CP-A-1', 'A', partnerA.id);
    custA2 = await customer('CP-A-2', 'C', partnerA.id, '遵义市');
    custB = await customer('CP-B-1', 'B', partnerB.id);
  });
  afterAll(() => t?.close());

  it('a partner opens an order for its own customer; the due time is the class limit (A: 4 h) from receipt', async () => {
    const res = await open(userA, custA, 1).expect(201);
    expect(res.body).toMatchObject({ status: 'open', customerClass: 'A', limitHours: 4, partnerId: partnerA.id, source: 'partner' });
    expect(new Date(res.body.dueAt).getTime() - new Date(res.body.receivedAt).getTime()).toBe(4 * H);
    const c = await open(userA, custA2).expect(201);
    expect(c.body).toMatchObject({ customerClass: 'C', limitHours: 24 });
    // another partner's customer is refused on the field (it does not even say whether it exists)
    const other = await open(userA, custB);
    expect(other.status).toBe(422);
    expect(other.body.errors[0].field).toBe('customerId');
    // and a bad category is refused by the DTO on its field, not a 500
    const badCategory = await open(userA, custA, 0, { category: 'x' });
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.errors[0].field).toBe('category');
  });

  it('walks open → in progress → resolved → return visit → closed, with history and audit', async () => {
    const id = (await open(userA, custA).expect(201)).body.id;
    expect((await userA.post(`/api/complaints/${id}/start`).expect(201)).body.status).toBe('in_progress');
    const noCause = await userA.post(`/api/complaints/${id}/resolve`, { rootCause: ' ', correctiveAction: '更换光模块' });
    expect(noCause.status).toBe(422);
    expect(noCause.body.errors[0].field).toBe('rootCause');
    const resolved = (await userA.post(`/api/complaints/${id}/resolve`, { rootCause: '光模块老化', correctiveAction: '更换光模块并巡检' }).expect(201)).body;
    expect(resolved).toMatchObject({ status: 'resolved', onTime: true, rootCause: '光模块老化' });
    expect(new Date(resolved.visitDueAt).getTime()).toBeGreaterThan(Date.now() + 2 * 24 * H); // end of the 3rd day after today
    // the holder is told to make the return visit
    const [note] = await t.db.query(`SELECT n.link FROM notification n WHERE n.kind = 'complaint.visitDue' AND n.recipient_user_id = $1 AND n.event_key LIKE $2`, [userA.user!.id, `complaint.visitDue:${id}:%`]);
    expect(note.link).toBe(`/my/complaints/${id}`);
    expect((await userA.post(`/api/complaints/${id}/close`)).status).toBe(403); // closing is the manager's
    expect((await userA.post(`/api/complaints/${id}/visit`, { satisfaction: 'satisfied', note: '客户确认恢复' }).expect(201)).body.status).toBe('visited');
    expect((await manager.post(`/api/complaints/${id}/close`).expect(201)).body.status).toBe('closed');
    expect((await manager.post(`/api/complaints/${id}/start`)).status).toBe(422); // no way back from closed
    const detail = (await manager.getJson(`/api/complaints/${id}`).expect(200)).body;
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['open', 'start', 'resolve', 'visit', 'close']);
    const audit = await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'complaint' AND entity_id = $1 ORDER BY id`, [String(id)]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['complaint.open', 'complaint.start', 'complaint.resolve', 'complaint.visit', 'complaint.close']);
  });

  it('不满意 reopens the order; a second dissatisfied visit of the customer raises a churn warning', async () => {
    const id = (await open(userA, custA2).expect(201)).body.id;
    const resolve = () => userA.post(`/api/complaints/${id}/resolve`, { rootCause: '信号弱', correctiveAction: '调整天线' }).expect(201);
    await resolve();
    const reopened = (await userA.post(`/api/complaints/${id}/visit`, { satisfaction: 'dissatisfied', note: '仍然没有信号' }).expect(201)).body;
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, satisfaction: 'dissatisfied', resolvedAt: null });
    expect(reopened.onTime).toBe(true); // judged on the first resolution
    expect(await t.db.query(`SELECT 1 FROM retention_warning WHERE customer_id = $1`, [custA2])).toHaveLength(0);
    await resolve();
    await userA.post(`/api/complaints/${id}/visit`, { satisfaction: 'dissatisfied' }).expect(201);
    const [w] = await t.db.query(`SELECT cause, partner_id AS "partnerId", status, detail FROM retention_warning WHERE customer_id = $1`, [custA2]);
    expect(w).toMatchObject({ cause: 'dissatisfied', partnerId: partnerA.id, status: 'open', detail: { complaintId: id, dissatisfiedVisits: 2 } });
    // a satisfied visit after the fix completes it
    await resolve();
    expect((await userA.post(`/api/complaints/${id}/visit`, { satisfaction: 'fairly_satisfied' }).expect(201)).body.status).toBe('visited');
  });

  it('the scheduled job escalates an overdue order once, notifies the partner and the managers, and warns of churn', async () => {
    const jobs = t.get(JobQueue);
    expect((jobs as unknown as { schedules: { name: string; cron: string }[] }).schedules).toContainEqual(expect.objectContaining({ name: COMPLAINTS_ESCALATE_JOB, cron: ESCALATE_CRON }));
    const late = (await open(manager, custA, 5).expect(201)).body; // class A: due 4 h after receipt, so 1 h overdue
    const inTime = (await open(manager, custA2, 5).expect(201)).body; // class C: 24 h
    expect(late.overdue).toBe(true);
    // opened by a manager: the partner is told
    expect(await t.db.query(`SELECT 1 FROM notification WHERE kind = 'complaint.opened' AND recipient_user_id = $1 AND event_key = $2`, [userA.user!.id, `complaint.opened:${late.id}`])).toHaveLength(1);
    await jobs.enqueue(COMPLAINTS_ESCALATE_JOB, {});
    const deadline = Date.now() + 30_000;
    let row: { escalatedAt: Date | null; auto: boolean | null } | undefined;
    while (Date.now() < deadline) {
      [row] = await t.db.query(`SELECT escalated_at AS "escalatedAt", escalated_auto AS auto FROM complaint WHERE id = $1`, [late.id]);
      if (row?.escalatedAt) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(row).toMatchObject({ auto: true });
    expect(row!.escalatedAt).not.toBeNull();
    const [other] = await t.db.query(`SELECT escalated_at FROM complaint WHERE id = $1`, [inTime.id]);
    expect(other.escalated_at).toBeNull();
    const notified = await t.db.query(`SELECT recipient_user_id AS "userId", link FROM notification WHERE kind = 'complaint.escalated' AND event_key LIKE $1`, [`complaint.escalated:${late.id}:%`]);
    expect(notified).toEqual(expect.arrayContaining([{ userId: userA.user!.id, link: `/my/complaints/${late.id}` }, { userId: manager.user!.id, link: `/complaints/${late.id}` }]));
    const [w] = await t.db.query(`SELECT cause, detail FROM retention_warning WHERE customer_id = $1 AND cause = 'complaint_overdue'`, [custA]);
    expect(w.detail.complaintId).toBe(late.id);
    // once: a second run escalates nothing more and raises no second warning
    const again = await t.get(ComplaintsService).escalateOverdue(SYSTEM_ACTOR);
    expect(again.escalated).toBe(0);
    expect(await t.db.query(`SELECT 1 FROM retention_warning WHERE customer_id = $1 AND cause = 'complaint_overdue'`, [custA])).toHaveLength(1);
    // by hand: a partner asks for help on an order in time
    const hand = (await userA.post(`/api/complaints/${inTime.id}/escalate`, { reason: '需要网络部协助' }).expect(201)).body;
    expect(hand).toMatchObject({ escalatedAuto: false, escalationReason: '需要网络部协助' });
    expect((await userA.post(`/api/complaints/${inTime.id}/escalate`, { reason: '再次' })).status).toBe(422);
  });

  it('never shows or lets another partner act on a work order (404), and lists only its own', async () => {
    const id = (await open(userA, custA).expect(201)).body.id;
    expect((await userB.getJson(`/api/complaints/${id}`)).status).toBe(404);
    expect((await userB.get(`/my/complaints/${id}`)).status).toBe(404);
    expect((await userB.post(`/api/complaints/${id}/start`)).status).toBe(404);
    expect((await userB.post(`/api/complaints/${id}/escalate`, { reason: 'x' })).status).toBe(404);
    expect((await userB.get(`/documents/on/complaint/${id}`)).status).toBe(404);
    const [st] = await t.db.query(`SELECT status, escalated_at FROM complaint WHERE id = $1`, [id]);
    expect(st).toEqual({ status: 'open', escalated_at: null });
    await open(userB, custB).expect(201);
    const listB = (await userB.getJson(`/api/complaints?partnerId=${partnerA.id}`).expect(200)).body;
    expect(listB.total).toBeGreaterThan(0);
    expect(listB.rows.every((r: { partnerId: number }) => r.partnerId === partnerB.id)).toBe(true);
    // the owner reaches the attachments page of its order
    expect((await userA.get(`/documents/on/complaint/${id}`)).status).toBe(200);
  });

  it('imports work orders all or nothing, listing every bad row with its column', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM complaint`))[0].n;
    const bad = 'customer_code,kind,category,description,received_at,reference\n'
      + 'CP-A-1,故障,network,专线中断,2026-11-20 09:00,CC-1\n'
      + 'NOPE,fault,network,x,2026-11-20 09:00,CC-2\n'
      + 'CP-B-1,fault,weather,x,2026-11-20 09:00,CC-3\n'
      + 'CP-B-1,fault,billing,x,2026-11-20 09:00,CC-1\n';
    const refused = await followJob(manager, await manager.upload('/complaints/import', 'file', bad, 'orders.csv'));
    expect(refused.result?.ok).toBe(false);
    expect(refused.result?.errors?.map((e) => [e.row, e.column])).toEqual(expect.arrayContaining([[3, 'customer_code'], [5, 'reference']]));
    expect((await t.db.query(`SELECT count(*)::int AS n FROM complaint`))[0].n).toBe(before);
    const rowErr = await followJob(manager, await manager.upload('/complaints/import', 'file', 'customer_code,kind,category,description,received_at\nCP-B-1,fault,weather,x,2026-11-20 09:00\n', 'o.csv'));
    expect(rowErr.result?.errors?.[0]).toMatchObject({ row: 2, column: 'category' });
    const good = 'customer_code,kind,category,description,received_at,reference\nCP-A-1,故障,network,专线中断,2026-11-20 09:00,CC-1\nCP-B-1,complaint,billing,多收费,2026-11-21 10:30,CC-2\n';
    const ok = await followJob(manager, await manager.upload('/complaints/import', 'file', good, 'orders.csv'));
    expect(ok.result?.ok).toBe(true);
    const rows = await t.db.query(`SELECT source, partner_id AS "partnerId", kind FROM complaint WHERE reference IN ('CC-1','CC-2') ORDER BY reference`);
    expect(rows).toEqual([{ source: 'import', partnerId: partnerA.id, kind: 'fault' }, { source: 'import', partnerId: partnerB.id, kind: 'complaint' }]);
  });

  it('computes timeliness from the work orders per partner and region against the target', async () => {
    // one late resolution for partner B: received 10 h ago (class B: 8 h), resolved now
    const id = (await open(userB, custB, 10).expect(201)).body.id;
    await userB.post(`/api/complaints/${id}/resolve`, { rootCause: '排障人员未及时到场', correctiveAction: '增加值班人员' }).expect(201);
    const period = (await manager.getJson('/api/complaints/timeliness').expect(200)).body;
    const b = period.partners.find((p: { partnerId: number }) => p.partnerId === partnerB.id);
    // and the imported order (received 2026-11-21, class B) is past due unresolved: late too
    expect(b).toMatchObject({ total: 2, onTime: 0, rate: 0, belowTarget: true });
    const a = period.partners.find((p: { partnerId: number }) => p.partnerId === partnerA.id);
    expect(a.total).toBeGreaterThan(0);
    expect(period.target).toBe(98);
    expect(period.regions.map((r: { region: string }) => r.region)).toEqual(expect.arrayContaining(['贵阳市']));
    // the scoring indicator reads the work orders; a partner without any keeps its service-record figure
    const inputs = t.get(ScoringInputsService);
    const code = period.period as string;
    expect((await inputs.factsFor(partnerB.id, code, ['auto_complaint_timeliness'])).complaints).toEqual({ total: 2, onTime: 0 });
    const partnerC = await t.createPartner();
    expect((await inputs.factsFor(partnerC.id, code, ['auto_complaint_timeliness'])).complaints).toEqual({ total: 0, onTime: 0 });
    const page = await manager.get('/complaints/timeliness').expect(200);
    expect(page.text).toContain(partnerB.code);
  });

  it('renders the list, detail and form pages for each side, and exports the list to Excel', async () => {
    const id = (await open(userA, custA).expect(201)).body.id;
    for (const url of ['/complaints', '/complaints/new', `/complaints/${id}`, '/complaints/import', '/complaints/timeliness?period=2026Q4']) expect((await manager.get(url)).status).toBe(200);
    for (const url of ['/my/complaints', '/my/complaints/new', `/my/complaints/${id}`]) expect((await userA.get(url)).status).toBe(200);
    const x = await manager.get('/complaints?format=xlsx&status=open').expect(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    // the form opens an order (CSRF field in the body) and lands on its page
    const form = await userA.postForm('/my/complaints', { customerId: custA, kind: 'complaint', category: 'service', description: '装机人员迟到' });
    expect(form.status).toBe(303);
    expect(form.headers.location).toMatch(/^\/my\/complaints\/\d+$/);
  });
});
