import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { periodOfDate, todayIso } from '../../src/core/period/period.util';
import { DutiesService } from '../../src/modules/duties/duties.service';
import { ScoringService } from '../../src/modules/scoring/scoring.service';
import { VerificationSampleCommand } from '../../src/modules/verification/verification.commands';
import { VerificationService } from '../../src/modules/verification/verification.service';
import { createTestApp, Session, TestApp } from '../support/test-app';

describe('verified service records (#17)', () => {
  let t: TestApp;
  let manager: Session;
  let finance: Session;
  let partnerUser: Session;
  let template: { id: number; stage: string };
  let n = 0;

  const customer = async (partnerId: number) => {
    const code = `VF-C-${++n}`;
    const [c] = await t.db.query(`INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ($1, $1, 'retail', '贵阳市', 'B', $2) RETURNING id`, [code, template.stage]);
    await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2025-01-01', 'fixture')`, [c.id, partnerId]);
    return c.id as number;
  };
  const records = async (partnerId: number, customerId: number, period: string, type: string, count = 1): Promise<string[]> => {
    const day = `${period.slice(0, 4)}-${String((Number(period[5]) - 1) * 3 + 1).padStart(2, '0')}-15T10:00:00+08:00`;
    const rows = await t.db.query(
      `INSERT INTO service_record (partner_id, customer_id, period, record_type, occurred_at, description, outcome)
       SELECT $1, $2, $3, $4, $5::timestamptz + make_interval(hours => g), '上门服务', '客户满意' FROM generate_series(1, $6::int) g RETURNING id::text AS id`,
      [partnerId, customerId, period, type, day, count]);
    return rows.map((r: { id: string }) => r.id);
  };
  const item = async (partnerId: number, customerId: number, period: string, required: number, fulfilled: number) => {
    const [i] = await t.db.query(
      `INSERT INTO checklist_item (period, customer_id, duty_template_id, stage, partner_id, required_count, fulfilled_count, due_date, status, fulfilled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '2026-06-30', CASE WHEN $7::int >= $6::int THEN 'fulfilled' ELSE 'open' END, CASE WHEN $7::int >= $6::int THEN now() END) RETURNING id`,
      [period, customerId, template.id, template.stage, partnerId, required, fulfilled]);
    return i.id as string;
  };
  const itemState = async (id: string) => (await t.db.query(`SELECT fulfilled_count AS "fulfilled", status, fulfilled_at IS NOT NULL AS "hasFulfilledAt" FROM checklist_item WHERE id = $1`, [id]))[0];
  const sampleOf = async (partnerId: number, period: string) => t.db.query(
    `SELECT i.id, i.service_record_id::text AS "recordId" FROM verification_item i WHERE i.partner_id = $1 AND i.period = $2 ORDER BY i.service_record_id`, [partnerId, period]);
  const itemFor = async (recordId: string) => (await t.db.query(`SELECT id FROM verification_item WHERE service_record_id = $1`, [recordId]))[0].id as number;

  beforeAll(async () => {
    t = await createTestApp();
    [template] = await t.db.query(`SELECT id, stage FROM duty_template WHERE code = 'promotion'`);
    expect(template).toBeDefined();
    // staff read Chinese: the pages are checked in zh-CN
    manager = await t.login((await t.createUser('channel_manager')).username, undefined, 'zh-CN');
    finance = await t.login((await t.createUser('finance')).username, undefined, 'zh-CN');
    const own = await t.createPartner();
    partnerUser = await t.loginAs('partner', { partnerId: own.id });
  });
  afterAll(() => t?.close());

  it('draws per partner 5 % rounded up, at least 3, capped at the record count; drawing again never redraws', async () => {
    const big = await t.createPartner();
    const small = await t.createPartner();
    const none = await t.createPartner();
    await records(big.id, await customer(big.id), '2026Q1', 'visit', 70);
    await records(small.id, await customer(small.id), '2026Q1', 'visit', 2);
    const first = await manager.post('/api/verification/sample', { period: '2026Q1' }).expect(201);
    expect(first.body).toEqual({ samples: 2, items: 6, existing: 0 }); // 70 → 3.5 → 4; 2 → 2 (all)
    const bigSample = await sampleOf(big.id, '2026Q1');
    expect(bigSample).toHaveLength(4);
    expect(await sampleOf(small.id, '2026Q1')).toHaveLength(2);
    expect(await sampleOf(none.id, '2026Q1')).toHaveLength(0);
    // the kept seed reproduces the draw
    const [s] = await t.db.query(`SELECT seed, record_count AS "recordCount", sample_size AS "size" FROM verification_sample WHERE partner_id = $1 AND period = '2026Q1'`, [big.id]);
    expect(s).toMatchObject({ recordCount: 70, size: 4 });
    const ranked = await t.db.query(`SELECT id::text AS id FROM service_record WHERE partner_id = $1 AND period = '2026Q1' ORDER BY md5($2 || ':' || id::text), id LIMIT 4`, [big.id, s.seed]);
    expect(ranked.map((r: { id: string }) => r.id).sort()).toEqual(bigSample.map((r: { recordId: string }) => r.recordId).sort());
    // again, with more records meanwhile: nothing is redrawn (the button, the CLI and the API alike)
    await records(big.id, await customer(big.id), '2026Q1', 'visit', 30);
    expect((await manager.post('/api/verification/sample', { period: '2026Q1' }).expect(201)).body).toEqual({ samples: 0, items: 0, existing: 2 });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await t.get(VerificationSampleCommand).run([], { period: '2026Q1' });
      expect(log.mock.calls.flat().join('\n')).toContain('2026Q1');
    } finally { log.mockRestore(); }
    const form = await manager.postForm('/verification/sample', { period: '2026Q1' });
    expect(form.status).toBe(303);
    expect(await sampleOf(big.id, '2026Q1')).toEqual(bigSample);
    expect((await manager.post('/api/verification/sample', { period: '2026Q9' })).status).toBe(400);
    // a quarter still running is not drawn (its later records would never be sampled)
    const running = await manager.post('/api/verification/sample', { period: periodOfDate(todayIso()).code });
    expect(running.status).toBe(422);
    expect(running.body.message).toContain('尚未结束');
    const [audit] = await t.db.query(`SELECT after FROM audit_log WHERE action = 'verification.sample' AND entity_id = '2026Q1' ORDER BY id LIMIT 1`);
    expect(audit.after).toMatchObject({ samples: 2, items: 6, rule: { percent: 5, min: 3 } });
  });

  it('two managers drawing at once get one sample', async () => {
    const p = await t.createPartner();
    await records(p.id, await customer(p.id), '2025Q3', 'visit', 10);
    const other = await t.login((await t.createUser('channel_manager')).username, undefined, 'zh-CN');
    const [a, b] = await Promise.all([manager.post('/api/verification/sample', { period: '2025Q3' }), other.post('/api/verification/sample', { period: '2025Q3' })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.samples + b.body.samples).toBe(1);
    expect(await sampleOf(p.id, '2025Q3')).toHaveLength(3);
  });

  let p1: { id: number };
  it('"not confirmed" takes back the ticks the record gave: duty completion and the draft sheet\'s Y fall; "confirmed" changes nothing', async () => {
    p1 = await t.createPartner();
    const told = await t.loginAs('partner', { partnerId: p1.id }); // a user of the partner, told of the outcomes below
    const c = await customer(p1.id);
    const dutyItem = await item(p1.id, c, '2026Q2', 2, 2);
    const [visitA, visitB] = await records(p1.id, c, '2026Q2', 'visit', 2);
    const [other] = await records(p1.id, c, '2026Q2', 'records_update'); // not a type of the promotion duty
    await t.get(ScoringService).openPeriod(SYSTEM_ACTOR, '2026Q2');
    const dutyLine = async () => (await t.db.query(
      `SELECT l.score::text AS score FROM score_sheet_line l JOIN score_sheet s ON s.id = l.sheet_id JOIN scoring_indicator i ON i.id = l.indicator_id
        WHERE s.partner_id = $1 AND s.period = '2026Q2' AND i.method = 'auto_duty_completion'`, [p1.id]))[0].score as string;
    expect(Number(await dutyLine())).toBe(100);
    expect((await manager.post('/api/verification/sample', { period: '2026Q2', partnerId: p1.id }).expect(201)).body).toMatchObject({ samples: 1, items: 3 });
    const duties = t.get(DutiesService);
    expect(await duties.completionFor(p1.id, '2026Q2')).toEqual({ required: 2, fulfilled: 2 });

    const ok = await manager.post(`/api/verification/${await itemFor(other)}/outcome`, { outcome: 'confirmed', method: 'call_back' }).expect(201);
    expect(ok.body).toMatchObject({ status: 'confirmed', method: 'call_back', itemsUnticked: 0 });
    expect(await duties.completionFor(p1.id, '2026Q2')).toEqual({ required: 2, fulfilled: 2 });

    const a = await itemFor(visitA);
    const noNote = await manager.post(`/api/verification/${a}/outcome`, { outcome: 'not_confirmed', method: 'call_back', note: '  ' });
    expect(noNote.status).toBe(422);
    expect((await manager.post(`/api/verification/${a}/outcome`, { outcome: 'maybe', method: 'call_back' })).status).toBe(400);
    // the page form, as a manager sends it
    const page = await manager.postForm(`/verification/${a}/outcome`, { outcome: 'not_confirmed', method: 'call_back', note: '客户称当季无人上门' });
    expect(page.status).toBe(303);
    expect(await itemState(dutyItem)).toEqual({ fulfilled: 1, status: 'open', hasFulfilledAt: false });
    expect(await duties.completionFor(p1.id, '2026Q2')).toEqual({ required: 2, fulfilled: 1 });
    const detail = await manager.get(`/verification/${a}`);
    expect(detail.text).toContain('已撤销 1 项职责的勾销');
    // raising a violation from it: the violation form opens prefilled with the partner, customer, day and the finding
    const href = /href="(\/violations\/new\?[^"]+)"/.exec(detail.text)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    const form = await manager.get(href).expect(200);
    expect(form.text).toMatch(new RegExp(`<option value="${p1.id}" selected`));
    expect(form.text).toContain(`name="customerId" inputmode="numeric" pattern="\\d*" value="${c}"`);
    expect(form.text).toContain('value="2026-04-15"');
    expect(form.text).toContain('客户称当季无人上门');
    // the draft sheet recomputes its duty indicator in a job queued with the outcome
    for (let i = 0; i < 100 && Number(await dutyLine()) === 100; i++) await new Promise((r) => setTimeout(r, 200));
    expect(Number(await dutyLine())).toBeLessThan(100);

    expect((await manager.post(`/api/verification/${a}/outcome`, { outcome: 'confirmed', method: 'visit' })).status).toBe(422); // decided once
    const b = await manager.post(`/api/verification/${await itemFor(visitB)}/outcome`, { outcome: 'not_confirmed', method: 'visit', note: '客户否认' }).expect(201);
    expect(b.body).toMatchObject({ itemsUnticked: 1, quarterLocked: false });
    expect(await itemState(dutyItem)).toMatchObject({ fulfilled: 0, status: 'open' });
    const [entry] = await t.db.query(`SELECT partner_id AS "partnerId", after, reason FROM audit_log WHERE action = 'verification.outcome' AND entity_id = $1`, [visitA]);
    expect(entry).toMatchObject({ partnerId: p1.id, after: { outcome: 'not_confirmed', method: 'call_back', itemsUnticked: 1 }, reason: '客户称当季无人上门' });
    // the partner's users are told each "not confirmed" (why, and what it changed) in their language; "confirmed" says nothing
    const inbox = (await told.getJson('/api/notifications').expect(200)).body.items as { kind: string; title: string; body: string }[];
    const mine = inbox.filter((n) => n.kind === 'verification.notConfirmed');
    expect(mine).toHaveLength(2);
    expect(mine.map((n) => n.body).join('\n')).toContain('客户称当季无人上门');
    expect(mine.map((n) => n.body).join('\n')).toContain(tDeep('en', 'verification:notice.ticksWithdrawn'));
  });

  let p3: { id: number };
  it('an item that other records still fulfil keeps its tick (the record came after fulfilment)', async () => {
    p3 = await t.createPartner();
    const c = await customer(p3.id);
    const dutyItem = await item(p3.id, c, '2026Q2', 1, 1);
    const [first, second] = await records(p3.id, c, '2026Q2', 'promotion', 2);
    await t.get(VerificationService).draw(SYSTEM_ACTOR, '2026Q2', p3.id);
    const r1 = await manager.post(`/api/verification/${await itemFor(first)}/outcome`, { outcome: 'not_confirmed', method: 'visit', note: '无此服务' }).expect(201);
    expect(r1.body.itemsUnticked).toBe(0);
    expect((await manager.get(`/verification/${await itemFor(first)}`)).text).toContain('没有可撤销的职责勾销');
    expect(await itemState(dutyItem)).toEqual({ fulfilled: 1, status: 'fulfilled', hasFulfilledAt: true });
    const r2 = await manager.post(`/api/verification/${await itemFor(second)}/outcome`, { outcome: 'not_confirmed', method: 'visit', note: '无此服务' }).expect(201);
    expect(r2.body.itemsUnticked).toBe(1);
    expect(await itemState(dutyItem)).toEqual({ fulfilled: 0, status: 'open', hasFulfilledAt: false });
  });

  it('in a locked quarter the outcome is recorded only and says so; the duty items stay', async () => {
    const p4 = await t.createPartner();
    const c = await customer(p4.id);
    const dutyItem = await item(p4.id, c, '2025Q4', 1, 1);
    const [rec] = await records(p4.id, c, '2025Q4', 'visit');
    await t.get(VerificationService).draw(SYSTEM_ACTOR, '2025Q4', p4.id);
    await t.get(DutiesService).lockQuarter(SYSTEM_ACTOR, '2025Q4', '季度考核完成');
    const res = await manager.postForm(`/verification/${await itemFor(rec)}/outcome`, { outcome: 'not_confirmed', method: 'call_back', note: '客户否认' });
    expect(res.status).toBe(303);
    const page = await manager.get(res.headers.location);
    expect(page.text).toContain('2025Q4 已锁定');
    expect(await itemState(dutyItem)).toEqual({ fulfilled: 1, status: 'fulfilled', hasFulfilledAt: true });
    const [v] = await t.db.query(`SELECT status, quarter_locked AS "locked", items_unticked AS "unticked" FROM verification_item WHERE service_record_id = $1`, [rec]);
    expect(v).toEqual({ status: 'not_confirmed', locked: true, unticked: 0 });
    // reopened by an admin: the held outcome takes its ticks back now, in a job queued with the unlock
    await t.get(DutiesService).unlockQuarter(SYSTEM_ACTOR, '2025Q4', '锁定有误');
    const state = async () => (await t.db.query(`SELECT quarter_locked AS "locked", items_unticked AS "unticked" FROM verification_item WHERE service_record_id = $1`, [rec]))[0];
    for (let i = 0; i < 100 && (await state()).locked; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await state()).toEqual({ locked: false, unticked: 1 });
    expect(await itemState(dutyItem)).toEqual({ fulfilled: 0, status: 'open', hasFulfilledAt: false });
    expect(await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'verification.outcome.applied' AND entity_id = $1`, [rec])).toHaveLength(1);
  });

  it('a decided outcome is corrected with a reason: to "not confirmed" takes the ticks back, to confirmed gives them back (not in a locked quarter)', async () => {
    const p5 = await t.createPartner();
    const c = await customer(p5.id);
    const dutyItem = await item(p5.id, c, '2025Q3', 1, 1);
    const [rec] = await records(p5.id, c, '2025Q3', 'visit');
    await t.get(VerificationService).draw(SYSTEM_ACTOR, '2025Q3', p5.id);
    const id = await itemFor(rec);
    const correct = (body: Record<string, string>) => manager.post(`/api/verification/${id}/correct`, body).set('Accept', 'application/json');
    // nothing to correct before an outcome; a correction needs its reason
    expect((await correct({ outcome: 'confirmed', method: 'visit', reason: '误点' })).status).toBe(422);
    await manager.post(`/api/verification/${id}/outcome`, { outcome: 'confirmed', method: 'call_back' }).expect(201);
    const noReason = await correct({ outcome: 'not_confirmed', method: 'call_back', note: '客户回电否认', reason: ' ' });
    expect([noReason.status, noReason.body.errors?.[0]?.field]).toEqual([422, 'reason']);
    expect(await itemState(dutyItem)).toMatchObject({ fulfilled: 1, status: 'fulfilled' });

    // the customer called back: not confirmed after all — the tick goes, as for a decision
    const down = await correct({ outcome: 'not_confirmed', method: 'call_back', note: '客户回电否认', reason: '客户事后回电' });
    expect(down.status).toBe(201);
    expect(down.body).toMatchObject({ status: 'not_confirmed', itemsUnticked: 1, quarterLocked: false });
    expect(await itemState(dutyItem)).toMatchObject({ fulfilled: 0, status: 'open' });
    // chosen by mistake after all: confirmed again — the tick comes back
    const up = await manager.postForm(`/verification/${id}/correct`, { outcome: 'confirmed', method: 'visit', note: '', reason: '核实人员误选' });
    expect(up.status).toBe(303);
    expect(await itemState(dutyItem)).toEqual({ fulfilled: 1, status: 'fulfilled', hasFulfilledAt: true });
    const page = await manager.get(`/verification/${id}`);
    expect(page.text).toContain('action="/verification/' + id + '/correct"');
    const audit = await t.db.query(`SELECT before, after, reason FROM audit_log WHERE action = 'verification.outcome.corrected' AND entity_id = $1 ORDER BY id`, [rec]);
    expect(audit.map((a: { reason: string; after: { outcome: string } }) => [a.after.outcome, a.reason])).toEqual([['not_confirmed', '客户事后回电'], ['confirmed', '核实人员误选']]);

    // not confirmed again, then the quarter locked: its counts are final, the tick cannot come back
    await correct({ outcome: 'not_confirmed', method: 'visit', note: '再次核实仍否认', reason: '上门复核' }).expect(201);
    await t.get(DutiesService).lockQuarter(SYSTEM_ACTOR, '2025Q3', '季度考核完成');
    const refused = await correct({ outcome: 'confirmed', method: 'visit', reason: '想恢复' });
    expect(refused.status).toBe(422);
    expect(await itemState(dutyItem)).toMatchObject({ fulfilled: 0, status: 'open' });
    expect((await partnerUser.post(`/api/verification/${id}/correct`, { outcome: 'confirmed', method: 'visit', reason: 'x' })).status).toBe(403);
  });

  it('a partner can neither see nor act (403 everywhere); an unknown sampled record is 404 for a manager', async () => {
    const id = await itemFor((await sampleOf(p1.id, '2026Q2'))[0].recordId);
    for (const url of ['/verification', '/verification/accuracy', `/verification/${id}`, '/api/verification', '/api/verification/accuracy', `/api/verification/${id}`]) {
      expect([url, (await partnerUser.get(url)).status]).toEqual([url, 403]);
    }
    expect((await partnerUser.post('/api/verification/sample', { period: '2026Q2' })).status).toBe(403);
    expect((await partnerUser.post(`/api/verification/${id}/outcome`, { outcome: 'confirmed', method: 'visit' })).status).toBe(403);
    expect((await partnerUser.postForm(`/verification/${id}/outcome`, { outcome: 'confirmed', method: 'visit' })).status).toBe(403);
    expect((await finance.post(`/api/verification/${id}/outcome`, { outcome: 'confirmed', method: 'visit' })).status).toBe(403);
    expect((await manager.getJson('/api/verification/999999')).status).toBe(404);
    expect((await manager.post('/api/verification/999999/outcome', { outcome: 'confirmed', method: 'visit' })).status).toBe(404);
  });

  it('record accuracy per partner and quarter = confirmed / verified, for the summary page and for reports', async () => {
    const rows = await t.get(VerificationService).accuracyFor('2026Q2', [p1.id, p3.id]);
    expect(rows.find((r) => r.partnerId === p1.id)).toMatchObject({ sampled: 3, verified: 3, confirmed: 1, notConfirmed: 2, accuracyPercent: '33.33' });
    expect(rows.find((r) => r.partnerId === p3.id)).toMatchObject({ sampled: 2, verified: 2, confirmed: 0, notConfirmed: 2, accuracyPercent: '0.00' });
    const q1 = await finance.getJson('/api/verification/accuracy?period=2026Q1').expect(200);
    expect(q1.body.every((r: { verified: number; accuracyPercent: string | null }) => r.verified === 0 && r.accuracyPercent === null)).toBe(true);
    const page = await finance.get('/verification/accuracy?period=2026Q2').expect(200);
    expect(page.text).toContain('33.33');
    expect(page.text).toContain('记录准确率');
    const list = await manager.get(`/verification?period=2026Q2&status=not_confirmed&partnerId=${p1.id}`).expect(200);
    expect(list.text).toContain('未获确认');
    const api = await manager.getJson(`/api/verification?period=2026Q2&partnerId=${p1.id}&status=not_confirmed`).expect(200);
    expect(api.body.total).toBe(2);
    // the managers' home page counts what is still to verify and leads to it
    const [{ pending }] = await t.db.query(`SELECT count(*)::int AS pending FROM verification_item WHERE status = 'pending'`);
    expect(pending).toBeGreaterThan(0);
    const home = await manager.get('/').expect(200);
    expect(home.text).toContain(`服务记录待核实（${pending} 条）`);
    expect(home.text).toMatch(/href="\/verification\?period&#x3D;2025Q3&amp;partnerId&#x3D;\d+"/);
    expect((await finance.get('/').expect(200)).text).not.toContain('服务记录待核实');
    const doc = await finance.getJson('/api/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/verification', '/api/verification/sample', '/api/verification/accuracy', '/api/verification/{id}/outcome']));
  });
});
