import { EventEmitter2 } from '@nestjs/event-emitter';
import { ScoringInputsService } from '../../src/modules/scoring/scoring-inputs.service';
import { ScoringService } from '../../src/modules/scoring/scoring.service';
import { createTestApp, Session, TestApp } from '../support/test-app';

/** Quarterly scoring end to end: open, auto indicators, manual scores, dispute, confirm, lock, revision, CSV. */
describe('scoring: quarterly sheets, disputes, confirmation, revisions', () => {
  let t: TestApp;
  let manager: Session;
  let manager2: Session;
  let partnerA: { id: number; code: string };
  let partnerB: { id: number; code: string };
  let userA: Session;
  let userB: Session;
  const events: { name: string; payload: unknown }[] = [];
  const PERIOD = '2026Q3';
  const periodCounts = async () => {
    const row = (await t.get(ScoringService).listPeriods()).find((r) => r.period === PERIOD)!;
    return { sheets: row.sheets, confirmed: row.confirmed, disputed: row.disputed };
  };

  const sheetOf = async (partnerId: number, period = PERIOD) =>
    (await t.db.query(`SELECT * FROM score_sheet WHERE partner_id = $1 AND period = $2 ORDER BY revision DESC LIMIT 1`, [partnerId, period]))[0];

  beforeAll(async () => {
    t = await createTestApp();
    partnerA = await t.createPartner();
    partnerB = await t.createPartner();
    await t.createPartner({ status: 'applied' }); // not scored
    manager = await t.loginAs('channel_manager');
    manager2 = await t.loginAs('channel_manager');
    userA = await t.loginAs('partner', { partnerId: partnerA.id });
    userB = await t.loginAs('partner', { partnerId: partnerB.id });
    const emitter = t.get(EventEmitter2);
    for (const name of ['scoring.period-confirmed', 'scoring.sheet-revised']) emitter.on(name, (payload: unknown) => events.push({ name, payload }));
    // fixture facts from the duties and violations modules
    jest.spyOn(t.get(ScoringInputsService), 'factsFor').mockImplementation(async (partnerId: number) => (partnerId === partnerA.id
      ? { completion: { required: 10, fulfilled: 8 }, complaints: { total: 4, onTime: 3 }, records: { total: 0, onTime: 0 }, deductions: [{ kindCode: 'LATE', kindName: 'Late visit', count: 3, points: '120' }] }
      : { completion: { required: 0, fulfilled: 0 }, complaints: { total: 0, onTime: 0 }, records: { total: 5, onTime: 5 }, deductions: [] }));
  });
  afterAll(() => t?.close());

  it('opens a quarter with a sheet per active partner and computed indicators with their inputs', async () => {
    const res = await manager.post('/api/scoring/periods', { period: PERIOD });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(2);
    const sheet = await sheetOf(partnerA.id);
    expect(sheet.status).toBe('draft');
    const lines = await t.db.query(`SELECT i.code, l.score::text AS score, l.inputs FROM score_sheet_line l JOIN scoring_indicator i ON i.id = l.indicator_id WHERE l.sheet_id = $1`, [sheet.id]);
    const byCode = Object.fromEntries(lines.map((l: { code: string }) => [l.code, l]));
    expect(byCode.DUTY_COMPLETION.score).toBe('80.00');
    expect(byCode.DUTY_COMPLETION.inputs).toEqual({ fulfilled: 8, required: 10 });
    expect(byCode.COMPLAINT_TIMELINESS.score).toBe('75.00');
    expect(byCode.RECORD_TIMELINESS.score).toBe('100.00');
    expect(byCode.COMPLIANCE.score).toBe('0.00'); // 120 points deducted, floor 0
    expect(byCode.PROFESSIONAL_QUALITY.score).toBeNull();
    // opening again adds nothing
    expect((await manager.post('/api/scoring/periods', { period: PERIOD })).body).toEqual({ created: 0, existing: 2 });
  });

  it('refuses a future quarter and a bad period', async () => {
    expect((await manager.post('/api/scoring/periods', { period: '2099Q1' })).status).toBe(422);
    expect((await manager.post('/api/scoring/periods', { period: '2026-3' })).status).toBe(400);
  });

  it('refuses a scheme whose weights do not add up to 100, naming the set', async () => {
    const admin = await t.loginAs('admin');
    const res = await admin.post('/api/scoring/schemes', { note: 'try', indicators: [
      { code: 'A1', name: 'a', family: 'service_quality', weight: '60', method: 'manual' },
      { code: 'B1', name: 'b', family: 'compliance', weight: '30', method: 'deduction' }] });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/indicator set "scheme version 2" add up to 90.00.*10.00 missing/);
  });

  it('managers enter manual scores; Y is computed; partners cannot see drafts', async () => {
    const sheet = await sheetOf(partnerA.id);
    expect((await userA.getJson(`/api/scoring/sheets/${sheet.id}`)).status).toBe(404);
    const bad = await manager.put(`/api/scoring/sheets/${sheet.id}/lines`, { lines: [{ indicatorCode: 'DUTY_COMPLETION', score: '99' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/computed from data/);
    const res = await manager.put(`/api/scoring/sheets/${sheet.id}/lines`, { lines: [
      { indicatorCode: 'PROFESSIONAL_QUALITY', score: '90', comment: 'good' }, { indicatorCode: 'SERVICE_ATTITUDE', score: '80' }] });
    expect(res.status).toBe(200);
    // 30×80 + 15×75 + 10×100 + 15×90 + 15×80 + 15×0 = 2400+1125+1000+1350+1200 = 7075 → 70.75
    expect(res.body.scoreY).toBe('70.75');
  });

  it('submits, lets the owner dispute within the window, and hides the sheet from another partner (404)', async () => {
    const sheet = await sheetOf(partnerA.id);
    expect((await manager.post(`/api/scoring/sheets/${sheet.id}/submit`)).status).toBe(201);
    const seen = await userA.getJson(`/api/scoring/sheets/${sheet.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.coefficientP).toBe('0.786111');
    expect((await userB.getJson(`/api/scoring/sheets/${sheet.id}`)).status).toBe(404);
    expect((await userB.post(`/api/scoring/sheets/${sheet.id}/dispute`, { reason: 'not mine' })).status).toBe(404);
    expect((await userB.get(`/my/scores/${sheet.id}`)).status).toBe(404);
    const d = await userA.post(`/api/scoring/sheets/${sheet.id}/dispute`, { reason: 'the complaint of May was on time' });
    expect(d.status).toBe(201);
    expect(d.body.status).toBe('disputed');
    expect(await periodCounts()).toEqual({ sheets: 2, confirmed: 0, disputed: 1 });
    const confirm = await manager.post(`/api/scoring/sheets/${sheet.id}/confirm`, {});
    expect(confirm.status).toBe(422);
    expect(confirm.body.message).toMatch(/resolve/);
  });

  it('the manager resolves the dispute by adjusting with a reason', async () => {
    const sheet = await sheetOf(partnerA.id);
    const noReason = await manager.post(`/api/scoring/sheets/${sheet.id}/resolve`, { resolution: 'adjust', reason: '', lines: [] });
    expect(noReason.status).toBe(400);
    const res = await manager.post(`/api/scoring/sheets/${sheet.id}/resolve`, {
      resolution: 'adjust', reason: 'complaint log shows it was on time', lines: [{ indicatorCode: 'COMPLAINT_TIMELINESS', score: '100', comment: 'corrected after dispute' }] });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('resolved');
    expect(res.body.scoreY).toBe('74.50');
    const [d] = await t.db.query(`SELECT resolution, resolution_reason FROM score_dispute WHERE sheet_id = $1`, [sheet.id]);
    expect(d).toEqual({ resolution: 'adjust', resolution_reason: 'complaint log shows it was on time' });
  });

  it('a closed dispute window refuses a dispute; the confirm run waits for open windows and reports why', async () => {
    const sheetB = await sheetOf(partnerB.id);
    await manager.put(`/api/scoring/sheets/${sheetB.id}/lines`, { lines: [{ indicatorCode: 'PROFESSIONAL_QUALITY', score: '95' }, { indicatorCode: 'SERVICE_ATTITUDE', score: '85' }] }).expect(200);
    await manager.post(`/api/scoring/sheets/${sheetB.id}/submit`).expect(201);
    const run1 = await manager.post(`/api/scoring/periods/${PERIOD}/confirm`, {});
    expect(run1.body.confirmed.map((c: { partnerCode: string }) => c.partnerCode)).toEqual([partnerA.code]); // resolved: no waiting
    expect(run1.body.notConfirmed).toEqual([expect.objectContaining({ partnerCode: partnerB.code, why: expect.stringMatching(/dispute window is open/) })]);
    await t.db.query(`UPDATE score_sheet SET dispute_deadline = now() - interval '1 minute' WHERE id = $1`, [sheetB.id]);
    const late = await userB.post(`/api/scoring/sheets/${sheetB.id}/dispute`, { reason: 'too late?' });
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/dispute window closed/);
    const run2 = await manager.post(`/api/scoring/periods/${PERIOD}/confirm`, {});
    expect(run2.body.confirmed).toEqual([{ partnerCode: partnerB.code, scoreY: '97.00' }]);
    expect(events.filter((e) => e.name === 'scoring.period-confirmed').map((e) => e.payload)).toEqual([
      { period: PERIOD, partnerIds: [partnerA.id] }, { period: PERIOD, partnerIds: [partnerB.id] }]);
  });

  it('exposes confirmed Y through the service contract and the P table in the export', async () => {
    const scoring = t.get(ScoringService);
    const a = await scoring.getConfirmedSheet(partnerA.id, PERIOD);
    expect(a).toEqual(expect.objectContaining({ revision: 1, scoreY: '74.50' }));
    expect((await scoring.getConfirmedSheets(PERIOD)).get(partnerB.id)?.scoreY).toBe('97.00');
    expect(await scoring.lastConfirmedScores(partnerA.id, 4)).toEqual([{ period: PERIOD, scoreY: '74.50' }]);
    const csv = await manager.get(`/api/scoring/periods/${PERIOD}/export.csv`).expect(200);
    expect(csv.text).toContain('partner_code,score_y,coefficient_p,status');
    expect(csv.text).toContain(`${partnerA.code},74.50,0.827778,confirmed`);
    expect(csv.text).toContain(`${partnerB.code},97.00,1.000000,confirmed`);
  });

  it('a confirmed sheet is locked; a correction is a new revision with a reason, audit entry and event', async () => {
    const sheet = await sheetOf(partnerA.id);
    const edit = await manager.put(`/api/scoring/sheets/${sheet.id}/lines`, { lines: [{ indicatorCode: 'SERVICE_ATTITUDE', score: '100' }] });
    expect(edit.status).toBe(422);
    expect(edit.body.message).toMatch(/confirmed sheet is final/);
    const rev = await manager.post(`/api/scoring/sheets/${sheet.id}/revise`, { reason: 'attitude survey arrived late' });
    expect(rev.status).toBe(201);
    expect(rev.body.revision).toBe(2);
    expect((await manager.post(`/api/scoring/sheets/${sheet.id}/revise`, { reason: 'again' })).status).toBe(409);
    // the periods overview counts the partner once, by its newest revision (the open draft), not by the confirmed one
    expect(await periodCounts()).toEqual({ sheets: 2, confirmed: 1, disputed: 0 });
    await manager.put(`/api/scoring/sheets/${rev.body.id}/lines`, { lines: [{ indicatorCode: 'SERVICE_ATTITUDE', score: '100' }] }).expect(200);
    const conf = await manager.post(`/api/scoring/sheets/${rev.body.id}/confirm`, {});
    expect(conf.status).toBe(201);
    expect(conf.body.scoreY).toBe('77.50');
    expect(await periodCounts()).toEqual({ sheets: 2, confirmed: 2, disputed: 0 });
    const [old] = await t.db.query(`SELECT status, score_y::text AS y FROM score_sheet WHERE id = $1`, [sheet.id]);
    expect(old).toEqual({ status: 'confirmed', y: '74.50' });
    expect((await t.get(ScoringService).getConfirmedSheet(partnerA.id, PERIOD))?.revision).toBe(2);
    expect(events).toContainEqual({ name: 'scoring.sheet-revised', payload: { partnerId: partnerA.id, period: PERIOD, revision: 2 } });
    const [audit] = await t.db.query(`SELECT reason FROM audit_log WHERE action = 'scoring.sheet.revise' AND entity_id = $1`, [String(rev.body.id)]);
    expect(audit.reason).toBe('attitude survey arrived late');
  });

  it('two managers confirming the same sheet at once: exactly one wins, the other gets 409', async () => {
    const [row] = await t.db.query(`SELECT id FROM score_sheet WHERE partner_id = $1 AND period = $2 AND status = 'confirmed' ORDER BY revision DESC LIMIT 1`, [partnerB.id, PERIOD]);
    const rev = await manager.post(`/api/scoring/sheets/${row.id}/revise`, { reason: 'recount' }).expect(201);
    const [r1, r2] = await Promise.all([
      manager.post(`/api/scoring/sheets/${rev.body.id}/confirm`, {}),
      manager2.post(`/api/scoring/sheets/${rev.body.id}/confirm`, {}),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([201, 409]);
    const loser = r1.status === 409 ? r1 : r2;
    expect(loser.body.message).toMatch(/already confirmed|someone else/i);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'scoring.sheet.confirm' AND entity_id = $1`, [String(rev.body.id)]);
    expect(n).toBe(1);
  });
});
