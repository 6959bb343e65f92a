import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { parsePeriod, periodOfDate, previousPeriod, todayIso } from '../../src/core/period/period.util';
import { CustomersService } from '../../src/modules/customers/customers.service';
import { addDays } from '../../src/modules/duties/date.util';
import { DutiesService } from '../../src/modules/duties/duties.service';
import { DutyViewsService } from '../../src/modules/duties/duty-views.service';
import { STAGE_DUTIES } from '../../src/modules/duties/duty-rules.util';
import { insertCustomer } from '../customers/fixtures';
import { followJob } from '../support/jobs';
import { createTestApp, Session, TestApp } from '../support/test-app';

/** Past quarter P (every date in it is in the past) and the current quarter. */
const current = periodOfDate(todayIso());
const P = previousPeriod(current.code);
const at = (date: string, time = '10:00') => `${date}T${time}:00`;

describe('duties: checklists, stage changes, records, locks, alerts', () => {
  let t: TestApp;
  let duties: DutiesService;
  let manager: Session;
  let p1: { id: number; code: string };
  let p2: { id: number; code: string };
  let s1: Session;
  let s2: Session;

  const itemsOf = (customerId: number, period = P.code) => t.db.query(
    `SELECT t.code, ci.stage, ci.status, ci.required_count AS required, ci.fulfilled_count AS fulfilled, ci.partner_id AS "partnerId",
            ci.due_date::text AS due, ci.not_applicable_from::text AS na
       FROM checklist_item ci JOIN duty_template t ON t.id = ci.duty_template_id
      WHERE ci.customer_id = $1 AND ci.period = $2 ORDER BY ci.stage, t.sort_order`, [customerId, period]);

  beforeAll(async () => {
    t = await createTestApp();
    duties = t.get(DutiesService);
    p1 = await t.createPartner();
    p2 = await t.createPartner();
    manager = await t.loginAs('channel_manager');
    s1 = await t.loginAs('partner', { partnerId: p1.id });
    s2 = await t.loginAs('partner', { partnerId: p2.id });
  });
  afterAll(() => t?.close());

  it('generates each stage\'s duty set with class counts and due dates', async () => {
    const byStage: Record<string, { id: number }> = {};
    for (const stage of Object.keys(STAGE_DUTIES)) byStage[stage] = await insertCustomer(t, { partnerId: p1.id, stage, cls: stage === 'development' ? 'A' : 'C' });
    const res = await manager.post('/api/duties/generate', { period: P.code });
    expect(res.status).toBe(201);
    expect(res.body.inserted).toBe(5 + 4 + 6 + 6 + 4);
    for (const [stage, codes] of Object.entries(STAGE_DUTIES)) {
      const items = await itemsOf(byStage[stage].id);
      expect(items.map((i: { code: string }) => i.code)).toEqual(codes);
      expect(items.every((i: { partnerId: number; status: string }) => i.partnerId === p1.id && i.status === 'open')).toBe(true);
    }
    const dev = await itemsOf(byStage.development.id);
    expect(dev.find((i: { code: string }) => i.code === 'promotion').required).toBe(3); // class A: monthly
    const churn = await itemsOf(byStage.churn.id);
    expect(churn.find((i: { code: string }) => i.code === 'customer_service').required).toBe(1); // class C
    expect(churn.find((i: { code: string }) => i.code === 'retention').due).toBe(addDays(P.start, 29));
    expect(churn.find((i: { code: string }) => i.code === 'win_back').due).toBe(P.end);
  });

  it('is idempotent: a second run adds nothing, a new customer only its own items', async () => {
    const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM checklist_item WHERE period = $1`, [P.code]);
    const again = await duties.generate(SYSTEM_ACTOR, P.code);
    expect(again).toEqual({ inserted: 0, total: before });
    await insertCustomer(t, { partnerId: p1.id, stage: 'churn' });
    expect((await duties.generate(SYSTEM_ACTOR, P.code)).inserted).toBe(4);
  });

  it('ticks matching items when a record is submitted and reports completion and complaint timeliness', async () => {
    const p3 = await t.createPartner();
    const s3 = await t.loginAs('partner', { partnerId: p3.id });
    const c = await insertCustomer(t, { partnerId: p3.id, stage: 'development', cls: 'A' });
    await duties.generate(SYSTEM_ACTOR, P.code);
    const day = addDays(P.start, 10);
    const visit = await s3.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: at(day), description: 'visit' });
    expect(visit.status).toBe(201);
    expect(visit.body.ticked).toBe(2); // promotion and customer service both accept a visit
    await s3.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: at(day, '15:00'), description: 'visit 2' }).expect(201);
    const onTime = await s3.post('/api/records', { customerId: c.id, recordType: 'complaint_handled', receivedAt: at(day, '10:00'), occurredAt: at(day, '13:00'), description: 'billing' });
    expect(onTime.body).toMatchObject({ ticked: 1, complaintOnTime: true });
    const late = await s3.post('/api/records', { customerId: c.id, recordType: 'complaint_handled', receivedAt: at(day, '08:00'), occurredAt: at(day, '14:00'), description: 'outage' });
    expect(late.body).toMatchObject({ ticked: 0, complaintOnTime: false }); // customer service already fulfilled (3 of 3)
    await s3.post('/api/records', { customerId: c.id, recordType: 'arrears_collected', occurredAt: at(day), description: 'collected', amount: '1200.50' }).expect(201);
    // class A development: promotion 3 + business handling 2 + customer service 3 + arrears 1 = 9; done 2 + 0 + 3 + 1
    expect(await duties.completionFor(p3.id, P.code)).toEqual({ required: 9, fulfilled: 6 });
    expect(await duties.complaintTimeliness(p3.id, P.code)).toEqual({ total: 2, onTime: 1 });
    expect(await duties.recordTimeliness(p3.id, P.code)).toEqual({ total: 5, onTime: 0 }); // entered months later
    const [rec] = await t.db.query(`SELECT amount FROM service_record WHERE partner_id = $1 AND record_type = 'arrears_collected'`, [p3.id]);
    expect(rec.amount).toBe('1200.50');
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    await s3.post('/api/records', { customerId: c.id, recordType: 'consultation', occurredAt: recent, description: 'questions' }).expect(201);
    expect(await duties.recordTimeliness(p3.id, periodOfDate(todayIso(new Date(recent))).code)).toEqual({ total: 1, onTime: 1 });
  });

  it('closes the old stage\'s open items and opens the new stage\'s on a mid-quarter stage change', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id, stage: 'development', cls: 'B' });
    await duties.generate(SYSTEM_ACTOR, P.code);
    await s1.post('/api/records', { customerId: c.id, recordType: 'business_handling', occurredAt: at(addDays(P.start, 5)), description: 'SIMs' }).expect(201);
    const change = addDays(P.start, 46);
    await s1.post('/api/records', { customerId: c.id, recordType: 'cross_sell', occurredAt: at(addDays(change, 1)), description: 'IoT cards' }).expect(201);
    const res = await manager.post(`/api/customers/${c.id}/stage`, { stage: 'maturity', effectiveOn: change, reason: 'contract renewed' });
    expect(res.status).toBe(201);
    const items = await itemsOf(c.id);
    const dev = items.filter((i: { stage: string }) => i.stage === 'development');
    expect(dev.map((i: { code: string; status: string; na: string | null }) => [i.code, i.status, i.na])).toEqual([
      ['promotion', 'not_applicable', change], ['business_handling', 'fulfilled', null], ['customer_service', 'not_applicable', change], ['arrears_collection', 'not_applicable', change],
    ]);
    const mat = items.filter((i: { stage: string }) => i.stage === 'maturity');
    expect(mat.map((i: { code: string }) => i.code)).toEqual(STAGE_DUTIES.maturity);
    const deepening = mat.find((i: { code: string }) => i.code === 'deepening');
    // class B deepening needs 1 a quarter; the cross-sell made after the change already counts
    expect([deepening.required, deepening.fulfilled, deepening.status]).toEqual([1, 1, 'fulfilled']);
    const promo = mat.find((i: { code: string }) => i.code === 'promotion');
    expect(promo.required).toBe(1); // 2 a quarter, about half the quarter left -> 1
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'duties.stage-items' AND entity_id = $1`, [String(c.id)]);
    expect(n).toBe(1);
  });

  it('refuses records for another partner\'s customer and hides that customer\'s items', async () => {
    const theirs = await insertCustomer(t, { partnerId: p2.id, stage: 'development' });
    await duties.generate(SYSTEM_ACTOR, P.code);
    const res = await s1.post('/api/records', { customerId: theirs.id, recordType: 'visit', occurredAt: at(addDays(P.start, 3)), description: 'x' });
    expect([403, 404]).toContain(res.status);
    const items = await s1.getJson(`/api/duties/items?period=${P.code}&partnerId=${p2.id}`).expect(200);
    expect(items.body.every((i: { partnerId: number }) => i.partnerId === p1.id)).toBe(true);
    expect(items.body.some((i: { customerId: number }) => i.customerId === theirs.id)).toBe(false);
    const own = await s2.post('/api/records', { customerId: theirs.id, recordType: 'visit', occurredAt: at(addDays(P.start, 3)), description: 'mine' });
    expect(own.status).toBe(201);
    expect((await s1.getJson(`/api/records/${own.body.id}`)).status).toBe(404);
    const page = await s1.get('/my/records/new').expect(200);
    expect(page.text).not.toContain(`value="${theirs.id}"`);
  });

  it('writes the record, its ticks and its audit entry together, and nothing at all for a refused one', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id, stage: 'development', from: addDays(P.start, 10) });
    await duties.generate(SYSTEM_ACTOR, P.code);
    const ok = await s1.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: at(addDays(P.start, 12)), description: 'first visit' }).expect(201);
    const [entry] = await t.db.query(`SELECT action, actor_label AS "actorLabel", partner_id AS "partnerId", after FROM audit_log WHERE entity_type = 'service_record' AND entity_id = $1`, [ok.body.id]);
    expect(entry).toMatchObject({ action: 'record.create', partnerId: p1.id, after: { customerId: c.id, recordType: 'visit', ticked: ok.body.ticked } });
    const count = async () => (await t.db.query(
      `SELECT (SELECT count(*)::int FROM service_record WHERE customer_id = $1) AS records,
              (SELECT count(*)::int FROM audit_log a JOIN service_record r ON a.entity_type = 'service_record' AND a.entity_id = r.id::text WHERE r.customer_id = $1) AS audits,
              (SELECT coalesce(sum(fulfilled_count), 0)::int FROM checklist_item WHERE customer_id = $1) AS ticks`, [c.id]))[0];
    expect(ok.body.ticked).toBeGreaterThan(0);
    const before = await count();
    expect(before).toEqual({ records: 1, audits: 1, ticks: ok.body.ticked });
    await s1.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: at(addDays(P.start, 2)), description: 'before the assignment' }).expect(422);
    await s2.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: at(addDays(P.start, 12)), description: 'not theirs' }).expect(404);
    expect(await count()).toEqual(before);
  });

  it('refuses a date when the customer was not yet assigned to the partner', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id, from: addDays(P.start, 20) });
    const res = await s1.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: at(addDays(P.start, 2)), description: 'x' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'occurredAt', message: expect.stringMatching(/not assigned to your partner/) });
  });

  it('refuses future dates and gives field errors', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id });
    const future = await s1.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: at(addDays(todayIso(), 2)), description: 'x' });
    expect(future.status).toBe(422);
    expect(future.body.errors).toEqual([{ field: 'occurredAt', message: 'must not be in the future' }]);
    const bad = await s1.post('/api/records', { customerId: c.id, recordType: 'complaint_handled', occurredAt: at(P.start), description: '' });
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['receivedAt', 'description']);
  });

  it('refuses records in a locked quarter', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id });
    const old = previousPeriod(P.code);
    expect(await duties.isQuarterLocked(old.code)).toBe(false);
    await manager.post('/api/duties/lock', { period: old.code, reason: 'scored' }).expect(201);
    expect(await duties.isQuarterLocked(old.code)).toBe(true);
    const res = await s1.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: at(addDays(old.start, 4)), description: 'late entry' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toBe(`quarter ${old.code} is locked; records for it can no longer be added`);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM service_record WHERE customer_id = $1`, [c.id]);
    expect(n).toBe(0);
  });

  it('reopens a locked quarter only for an admin giving a reason, keeping who locked it and why in the audit log', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id });
    const q = previousPeriod(previousPeriod(P.code).code);
    const admin = await t.loginAs('admin');
    await manager.post('/api/duties/lock', { period: q.code, reason: 'scored and settled' }).expect(201);
    expect((await manager.post('/api/duties/unlock', { period: q.code, reason: 'wrong quarter' })).status).toBe(403);
    const noReason = await admin.post('/api/duties/unlock', { period: q.code });
    expect(noReason.status).toBe(400);
    expect([...new Set(noReason.body.errors.map((e: { field: string }) => e.field))]).toEqual(['reason']);
    expect(await duties.isQuarterLocked(q.code)).toBe(true);
    const record = { customerId: c.id, recordType: 'visit', occurredAt: at(addDays(q.start, 5)), description: 'late entry' };
    expect((await s1.post('/api/records', record)).status).toBe(422);
    expect((await admin.get(`/duties?period=${q.code}`).expect(200)).text).toContain('action="/duties/unlock"');
    expect((await manager.get(`/duties?period=${q.code}`).expect(200)).text).not.toContain('action="/duties/unlock"');

    expect((await admin.post('/api/duties/unlock', { period: q.code, reason: 'locked before the late visits were entered' }).expect(201)).body).toEqual({ period: q.code, reopened: true });
    expect(await duties.isQuarterLocked(q.code)).toBe(false);
    await s1.post('/api/records', record).expect(201);
    const [entry] = await t.db.query(`SELECT before, after, reason FROM audit_log WHERE action = 'duties.unlock' AND entity_id = $1`, [q.code]);
    expect(entry).toMatchObject({ before: { locked: true, reason: 'scored and settled' }, after: { locked: false }, reason: 'locked before the late visits were entered' });
    expect((await admin.post('/api/duties/unlock', { period: q.code, reason: 'again' }).expect(201)).body.reopened).toBe(false);
  });

  it('imports nothing from a record CSV with a bad row and reports the rows; a clean file ticks items', async () => {
    const mine = await insertCustomer(t, { partnerId: p1.id, stage: 'churn', cls: 'C' });
    const theirs = await insertCustomer(t, { partnerId: p2.id });
    await duties.generate(SYSTEM_ACTOR, P.code);
    const d = addDays(P.start, 12);
    const header = 'customer_code,record_type,occurred_at,description,amount,attachments\n';
    const bad = `${header}${mine.code},retention_attempt,${d}T10:00,offer,,a.pdf\n${theirs.code},visit,${d}T10:00,x,,\n${mine.code},dance,${d}T10:00,x,,\n`;
    const res = await s1.upload('/api/records/import', 'file', bad);
    expect(res.status).toBe(422);
    expect(res.body.rows).toEqual([
      { row: 3, column: 'customer_code', message: `${theirs.code} is not your customer on ${d}` },
      { row: 4, column: 'record_type', message: expect.stringMatching(/^must be one of/) },
    ]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM service_record WHERE customer_id = $1`, [mine.id]);
    expect(n).toBe(0);
    const good = `${header}${mine.code},retention_attempt,${d}T10:00,offer,,a.pdf;b.jpg\n${mine.code},arrears_collected,${d}T11:00,paid,300.00,\n`;
    const ok = await s1.upload('/api/records/import', 'file', good);
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ records: 2, ticked: 3 }); // a retention attempt also counts for win-back
    const items = await itemsOf(mine.id);
    expect(items.filter((i: { status: string }) => i.status === 'fulfilled').map((i: { code: string }) => i.code)).toEqual(['arrears_collection', 'retention', 'win_back']);
  });

  it('refuses a record CSV whose quote never closes, naming the record, and imports nothing; quoted commas and line breaks are kept', async () => {
    const mine = await insertCustomer(t, { partnerId: p1.id, stage: 'maturity' });
    const d = addDays(P.start, 13);
    const header = 'customer_code,record_type,occurred_at,description\n';
    const broken = `${header}${mine.code},visit,${d}T10:00,"ok, fine"\n${mine.code},visit,${d}T11:00,"never closed\n${mine.code},visit,${d}T12:00,x\n`;
    const res = await s1.upload('/api/records/import', 'file', broken);
    expect(res.status).toBe(422);
    expect(res.body.rows).toEqual([{ row: 3, column: '(file)', message: expect.stringMatching(/^not readable as CSV: /) }]);
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM service_record WHERE customer_id = $1`, [mine.id]))[0].n;
    expect(await count()).toBe(0);
    const ok = await s1.upload('/api/records/import', 'file', `${header}${mine.code},visit,${d}T10:00,"met the CEO, then\nthe CFO ""twice"""\n`);
    expect(ok.status).toBe(201);
    const [r] = await t.db.query(`SELECT description FROM service_record WHERE customer_id = $1`, [mine.id]);
    expect(r.description).toBe('met the CEO, then\nthe CFO "twice"');
  });

  it('moves open items to the new holder on reassignment', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id, stage: 'maturity' });
    await duties.generate(SYSTEM_ACTOR, current.code);
    const effective = todayIso() > current.start ? todayIso() : addDays(current.start, 1);
    await t.get(CustomersService).reassign(SYSTEM_ACTOR, c.id, { partnerId: p2.id }, effective, 'handover');
    const items = await itemsOf(c.id, current.code);
    expect(items.length).toBe(6);
    expect(items.every((i: { partnerId: number }) => i.partnerId === p2.id)).toBe(true);
  });

  it('records one alert per overdue item, however often it runs, and shows them', async () => {
    const today = addDays(P.end, 1);
    const first = await duties.raiseOverdueAlerts(SYSTEM_ACTOR, today);
    expect(first.created).toBeGreaterThan(0);
    expect(first.created).toBe(first.overdue);
    const second = await duties.raiseOverdueAlerts(SYSTEM_ACTOR, today);
    expect(second).toEqual({ created: 0, overdue: first.overdue });
    const home = await s1.get('/').expect(200);
    expect(home.text).toContain('Overdue duty alerts');
    const duty = await s1.get(`/my/duties?period=${P.code}`).expect(200);
    expect(duty.text).toContain('class="overdue"');
    const mgr = await manager.get(`/duties?period=${P.code}`).expect(200);
    expect(mgr.text).toContain(p1.code);
    expect(mgr.text).toContain('tone-bad');
    // #18: the partner is typed (code, any case), not picked from every partner; an unknown one matches nothing
    const typed = await manager.get(`/duties?period=${P.code}&partner=${p1.code.toLowerCase()}`).expect(200);
    expect(typed.text).toContain(`value="${p1.code}"`);
    expect(typed.text).not.toContain(`<code>${p2.code}</code>`);
    expect(typed.text).not.toContain('<option value="' + p2.id + '"');
    const unknown = await manager.get(`/duties?period=${P.code}&partner=NOPE-404`).expect(200);
    expect(unknown.text).not.toContain(`<code>${p1.code}</code>`);
  });

  it('pages the completion table by partner code without counting every partner (#18)', async () => {
    const views = t.get(DutyViewsService);
    const today = todayIso();
    const all = await views.partnerCompletion(P.code, {}, today);
    expect(all.length).toBeGreaterThan(2);
    const first = await views.partnerCompletionPage(P.code, {}, today, { offset: 0, size: 2 });
    expect(first.hasNext).toBe(true);
    expect(first.rows).toEqual(all.slice(0, 2));
    const second = await views.partnerCompletionPage(P.code, {}, today, { offset: 2, size: all.length });
    expect(second.hasNext).toBe(false);
    expect(second.rows).toEqual(all.slice(2));
    const page2 = await manager.get(`/duties?period=${P.code}&cpage=2`).expect(200); // 50 a page: nothing left here
    expect(page2.text).toContain(`#completion" rel="prev"`); // back to the first page of partners
    expect(page2.text).not.toContain(`<code>${all[0].partnerCode}</code> `);
  });

  it('renders the partner pages with progress bars and lets an admin edit a template', async () => {
    const my = await s1.get(`/my/customers?period=${P.code}`).expect(200);
    expect(my.text).toContain('role="progressbar"');
    expect((await s1.get('/my/records')).status).toBe(200);
    expect((await s1.get('/duties')).status).toBe(403);
    const admin = await t.loginAs('admin');
    const [tpl] = await t.db.query(`SELECT id FROM duty_template WHERE stage = 'churn' AND code = 'customer_service'`);
    const res = await admin.postForm(`/duties/templates/${tpl.id}`, { name: 'Customer service', requiredA: 4, requiredB: 2, requiredC: 1, hoursA: 2, hoursB: 8, hoursC: 24, recordTypes: 'training, consultation, complaint_handled', active: 'true' });
    expect(res.status).toBe(303);
    const [after] = await t.db.query(`SELECT required_a, hours_a, record_types FROM duty_template WHERE id = $1`, [tpl.id]);
    expect(after).toEqual({ required_a: 4, hours_a: 2, record_types: ['training', 'consultation', 'complaint_handled'] });
    expect((await manager.postForm(`/duties/templates/${tpl.id}`, { requiredA: 9 })).status).toBe(403);
    expect((await admin.get('/duties/templates')).text).toContain('客户服务');
  });

  it('knows quarters by code', () => {
    expect(parsePeriod(P.code).end).toBe(P.end);
  });

  describe('in Chinese (zh-CN)', () => {
    let zh: Session;
    let zhManager: Session;
    let p9: { id: number; code: string };
    let mine: { id: number; code: string };
    const xlsxRows = async (res: { body: unknown }) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      const rows: string[][] = [];
      wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
      return rows;
    };
    const binary = (r: import('supertest').Test) => r.buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

    beforeAll(async () => {
      p9 = await t.createPartner();
      mine = await insertCustomer(t, { partnerId: p9.id, stage: 'churn', cls: 'A' });
      await duties.generate(SYSTEM_ACTOR, P.code);
      const u = await t.createUser('partner', { partnerId: p9.id });
      zh = await t.login(u.username, undefined, 'zh-CN');
      const m = await t.createUser('channel_manager');
      zhManager = await t.login(m.username, undefined, 'zh-CN');
    });

    it('renders the partner pages and the manager pages in Chinese', async () => {
      const form = await zh.get(`/my/records/new?customerId=${mine.id}`).expect(200);
      expect(form.text).toContain('<html lang="zh-CN">');
      expect(form.text).toContain('登记服务记录');
      expect(form.text).toContain('<option value="complaint_handled" >投诉处理</option>');
      expect(form.text).toContain(`<option value="${mine.id}" selected>`);
      expect(form.text).toContain('（A 类，流失期）');
      // the latest allowed time is the business time zone's wall clock, not UTC
      const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(new Date()).reduce((a, p) => ({ ...a, [p.type]: p.value }), {} as Record<string, string>);
      expect(form.text).toContain(`max="${local.year}-${local.month}-${local.day}T`);
      expect(form.text).toContain(`最晚可填：${local.year}-${local.month}-${local.day} `);
      const duty = await zh.get(`/my/duties?period=${P.code}`).expect(200);
      expect(duty.text).toContain('客户挽留');
      expect(duty.text).toContain('赢回客户');
      expect(duty.text).toContain('进行中');
      const customers = await zh.get(`/my/customers?period=${P.code}`).expect(200);
      expect(customers.text).toContain('职责清单进度');
      expect(customers.text).toContain('流失期');
      const overview = await zhManager.get(`/duties?period=${P.code}`).expect(200);
      expect(overview.text).toContain('各合作伙伴完成情况');
      expect(overview.text).toContain('客户挽留');
      const templates = await zhManager.get('/duties/templates').expect(200);
      expect(templates.text).toContain('职责模板');
      expect(templates.text).toContain('协助对其所发展的集团客户的欠费催缴');
      const home = await zh.get('/').expect(200);
      expect(home.text).toContain('超时预警');
    });

    it('brings a refused record back with what was typed and the message beside the field', async () => {
      const back = `/my/records/new?customerId=${mine.id}`;
      const future = `${addDays(todayIso(), 3)}T10:00`;
      const res = await zh.postForm('/my/records', { customerId: mine.id, recordType: 'retention_attempt', occurredAt: future, description: '向客户介绍续约优惠', outcome: '客户考虑中', amount: '', attachmentNames: '方案.pdf' })
        .set('Host', 'portal.test').set('Referer', `http://portal.test${back}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/my/records/new?customerId=${mine.id}`);
      const page = await zh.get(res.headers.location).expect(200);
      expect(page.text).toContain('>向客户介绍续约优惠</textarea>');
      expect(page.text).toContain('value="客户考虑中"');
      expect(page.text).toContain('value="方案.pdf"');
      expect(page.text).toContain(`value="${future}"`);
      expect(page.text).toContain('<option value="retention_attempt" selected>');
      expect(page.text).toMatch(/name="occurredAt"[^>]*aria-invalid="true"/);
      expect(page.text).toContain('<span class="field-error" id="err-occurredAt" role="alert">服务时间不能晚于当前时间</span>');
      // shown once: the next visit is an empty form
      expect((await zh.get(res.headers.location)).text).not.toContain('向客户介绍续约优惠');
    });

    it('lists my records sorted and paged, shows times in Beijing time and exports them with Chinese headers', async () => {
      const start = new Date(`${P.start}T00:00:00Z`).getTime();
      for (let i = 0; i < 60; i++) {
        await t.db.query(
          `INSERT INTO service_record (partner_id, customer_id, period, record_type, occurred_at, description, outcome, attachment_names, amount)
           VALUES ($1, $2, $3, $4, $5, $6, '已完成', '{}', $7)`,
          [p9.id, mine.id, P.code, i % 2 ? 'visit' : 'arrears_collected', new Date(start + i * 3_600_000 + 90 * 60_000), `服务记录 ${i}`, i % 2 ? null : `${100 + i}.50`]);
      }
      const first = await zh.get('/my/records').expect(200);
      expect(first.text).toContain('共 60 条');
      expect(first.text).toContain('服务记录 59');
      expect(first.text).not.toContain('服务记录 5<');
      // 01:30 UTC of the quarter's first day is 09:30 in Beijing
      const asc = await zh.get('/my/records?sort=occurredAt&dir=asc').expect(200);
      expect(asc.text).toContain(`${P.start} 09:30`);
      const page2 = await zh.get('/my/records?sort=occurredAt&dir=asc&page=2').expect(200);
      expect(page2.text).toContain('服务记录 59');
      const visits = await zh.get(`/my/records?recordType=visit&period=${P.code}&sort=bogus&page=-1`).expect(200);
      expect(visits.text).toContain('共 30 条');
      const xlsx = await binary(zh.get('/my/records?recordType=arrears_collected&sort=amount&dir=desc&format=xlsx')).expect(200);
      const rows = await xlsxRows(xlsx);
      const h = rows.findIndex((r) => r[0] === '服务时间');
      expect(rows[h]).toEqual(['服务时间', '季度', '客户编码', '客户', '服务类型', '投诉受理时间', '投诉处理是否及时', '服务内容', '服务结果', '金额（元）', '附件', '录入时间']);
      expect(rows.length - h - 1).toBe(30);
      expect(rows[h + 1][4]).toBe('欠费催缴');
      expect(rows[h + 1][9]).toBe('158.5');
      expect(rows.some((r) => r[0] === '服务类型' && r[1] === '欠费催缴')).toBe(true);
      const overdue = await binary(zhManager.get(`/duties?partnerId=${p9.id}&sort=customer&format=xlsx`)).expect(200);
      const orows = await xlsxRows(overdue);
      expect(orows.find((r) => r[0] === '到期日')).toEqual(['到期日', '季度', '合作伙伴', '客户编码', '客户', '客户等级', '地区', '服务职责', '要求次数', '完成次数']);
    });

    it('reports CSV row errors in Chinese', async () => {
      const d = addDays(P.start, 12);
      const csv = `customer_code,record_type,occurred_at,description\n${mine.code},visit,${d}T10:00,拜访\n${mine.code},dance,${d}T10:00,跳舞\nNOPE-1,visit,2099-01-01T10:00,x\n`;
      const res = await zh.upload('/api/records/import', 'file', csv);
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('文件中有 3 处问题，未导入任何数据。');
      expect(res.body.rows[0]).toEqual({ row: 3, column: 'record_type', message: expect.stringMatching(/^须为以下服务类型之一：上门拜访、业务宣传/) });
      expect(res.body.rows.slice(1)).toEqual([
        { row: 4, column: 'customer_code', message: '您的客户中没有编码为 NOPE-1 的客户' },
        { row: 4, column: 'occurred_at', message: '服务时间不能晚于当前时间' },
      ]);
      const page = await zh.upload('/my/records/import', 'file', csv).set('Host', 'portal.test').set('Referer', 'http://portal.test/my/records');
      // the page upload runs as a job; its page lists the rows and columns in Chinese
      const job = await followJob(zh, page);
      expect(job.result).toMatchObject({ ok: false, errorTotal: 3 });
      expect(job.page).toContain('文件中有 3 处问题，未导入任何数据。');
      expect(job.page).toMatch(/<td[^>]*>4<\/td><td[^>]*><code>customer_code<\/code><\/td><td[^>]*>您的客户中没有编码为 NOPE-1 的客户<\/td>/);
    });
  });
});
