import { ViolationsService } from '../../src/modules/violations/violations.service';
import { createTestApp, Session, TestApp } from '../support/test-app';

describe('violations register', () => {
  let t: TestApp;
  let manager: Session;
  let partnerA: { id: number; code: string };
  let partnerB: { id: number; code: string };
  let partnerUserA: Session;
  let partnerUserB: Session;
  let kinds: Record<string, { id: number; severity: string; penaltyAmount: string | null }>;
  const events: { name: string; payload: unknown }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    partnerA = await t.createPartner();
    partnerB = await t.createPartner();
    manager = await t.loginAs('channel_manager');
    partnerUserA = await t.loginAs('partner', { partnerId: partnerA.id });
    partnerUserB = await t.loginAs('partner', { partnerId: partnerB.id });
    const list = (await manager.getJson('/api/violations/kinds').expect(200)).body as { id: number; code: string; severity: string; penaltyAmount: string | null }[];
    kinds = Object.fromEntries(list.map((k) => [k.code, k]));
    const emitter = t.app.get(ViolationsService)['events'];
    emitter.onAny((name: string | string[], payload: unknown) => events.push({ name: String(name), payload }));
  });
  afterAll(() => t?.close());

  const record = (s: Session, body: object) => s.post('/api/violations', body);

  it('refuses a customer the partner did not serve on that date, and accepts its own', async () => {
    const insertCustomer = async (code: string, partnerId: number) => {
      const [c] = await t.db.query(`INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ($1, $1, 'retail', 'Guiyang', 'B', 'maturity') RETURNING id`, [code]);
      await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', 'fixture')`, [c.id, partnerId]);
      return c.id as number;
    };
    const ofA = await insertCustomer('VC-A-1', partnerA.id);
    const ofB = await insertCustomer('VC-B-1', partnerB.id);
    const base = { partnerId: partnerA.id, kindId: kinds.missing_service.id, occurredOn: '2026-06-01', description: 'missed visit' };
    const wrong = await record(manager, { ...base, customerId: ofB });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors?.[0]?.field).toBe('customerId');
    expect((await record(manager, { ...base, customerId: ofA })).status).toBe(201);
    // and the database itself refuses a customer that does not exist
    await expect(t.db.query(`UPDATE violation SET customer_id = 987654 WHERE customer_id = $1`, [ofA])).rejects.toThrow(/violation_customer_fk/);
  });

  it('seeds the catalogue with the five kinds and their severities', () => {
    expect(Object.keys(kinds).sort()).toEqual(['complaint_escalated', 'false_business', 'info_leak', 'missing_service', 'overcharging']);
    expect(kinds.info_leak.severity).toBe('major');
    expect(kinds.missing_service.severity).toBe('minor');
  });

  it('records a violation with a snapshot of the kind, a response deadline and an event', async () => {
    const res = await record(manager, { partnerId: partnerA.id, occurredOn: '2026-08-10', kindId: kinds.overcharging.id, description: 'double fee', evidenceNames: 'a.pdf, b.jpg' }).expect(201);
    expect(res.body).toMatchObject({ severity: 'major', scoreDeduction: '8.00', penaltyAmount: '3000.00', evidenceNames: ['a.pdf', 'b.jpg'], status: 'recorded' });
    const [{ days }] = await t.db.query(`SELECT (response_due_on - (recorded_at AT TIME ZONE 'Asia/Shanghai')::date) AS days FROM violation WHERE id = $1`, [res.body.id]);
    expect(days).toBe(7);
    expect(events).toContainEqual({ name: 'violation.recorded', payload: { violationId: res.body.id, partnerId: partnerA.id, severity: 'major' } });
    // changing the kind later does not change the recorded violation
    await (await t.loginAs('admin')).put(`/api/violations/kinds/${kinds.overcharging.id}`, { name: 'Overcharging', severity: 'minor', scoreDeduction: '1', penaltyAmount: '10' }).expect(200);
    const again = await manager.getJson(`/api/violations/${res.body.id}`).expect(200);
    expect(again.body).toMatchObject({ severity: 'major', penaltyAmount: '3000.00' });
  });

  it('refuses a future date, an unknown partner and a missing description with field errors', async () => {
    const future = await record(manager, { partnerId: partnerA.id, occurredOn: '2999-01-01', kindId: kinds.info_leak.id, description: 'x' });
    expect(future.status).toBe(422);
    expect(future.body.errors[0].field).toBe('occurredOn');
    expect((await record(manager, { partnerId: 999999, occurredOn: '2026-08-10', kindId: kinds.info_leak.id, description: 'x' })).status).toBe(422);
    expect((await record(manager, { partnerId: partnerA.id, occurredOn: '2026-08-10', kindId: kinds.info_leak.id, description: '  ' })).status).toBe(422);
  });

  it('never lets a partner see or answer another partner\'s violations (404 by id, filtered in lists)', async () => {
    const b = await record(manager, { partnerId: partnerB.id, occurredOn: '2026-09-01', kindId: kinds.complaint_escalated.id, description: 'escalated' }).expect(201);
    const listA = (await partnerUserA.getJson('/api/violations').expect(200)).body as { partnerId: number }[];
    expect(listA.length).toBeGreaterThan(0);
    expect(listA.every((v) => v.partnerId === partnerA.id)).toBe(true);
    // even when asking for partner B explicitly
    const forced = (await partnerUserA.getJson(`/api/violations?partnerId=${partnerB.id}`).expect(200)).body as { partnerId: number }[];
    expect(forced.every((v) => v.partnerId === partnerA.id)).toBe(true);
    expect((await partnerUserA.getJson(`/api/violations/${b.body.id}`)).status).toBe(404);
    expect((await partnerUserA.get(`/my/violations/${b.body.id}`)).status).toBe(404);
    expect((await partnerUserA.post(`/api/violations/${b.body.id}/respond`, { response: 'not ours' })).status).toBe(404);
    const page = await partnerUserA.get('/my/violations').expect(200);
    expect(page.text).not.toContain(`/my/violations/${b.body.id}"`);
    expect((await partnerUserB.getJson(`/api/violations/${b.body.id}`)).status).toBe(200);
    expect((await partnerUserA.get('/violations')).status).toBe(403);
  });

  it('shows new violations on the partner home page and accepts one response within the window', async () => {
    const v = await record(manager, { partnerId: partnerA.id, occurredOn: '2026-11-01', kindId: kinds.missing_service.id, description: 'no visit' }).expect(201);
    const home = await partnerUserA.get('/').expect(200);
    expect(home.text).toContain('New violations');
    expect(home.text).toContain(`/my/violations/${v.body.id}`);
    await partnerUserA.postForm(`/my/violations/${v.body.id}/respond`, { response: 'visit was made, see log' }).expect(303);
    const after = await manager.getJson(`/api/violations/${v.body.id}`).expect(200);
    expect(after.body.partnerResponse).toBe('visit was made, see log');
    const second = await partnerUserA.post(`/api/violations/${v.body.id}/respond`, { response: 'again' });
    expect(second.status).toBe(422);
    expect(second.body.message).toMatch(/already responded/);
  });

  it('refuses a response after the window', async () => {
    const v = await record(manager, { partnerId: partnerA.id, occurredOn: '2026-10-01', kindId: kinds.missing_service.id, description: 'late' }).expect(201);
    await t.db.query(`UPDATE violation SET response_due_on = CURRENT_DATE - 1 WHERE id = $1`, [v.body.id]);
    const res = await partnerUserA.post(`/api/violations/${v.body.id}/respond`, { response: 'too late' });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/response window closed/);
  });

  it('voids with a reason only, keeps the row, reverses the penalty by a new line and stops the deduction', async () => {
    const svc = t.app.get(ViolationsService);
    const v = await record(manager, { partnerId: partnerA.id, occurredOn: '2026-07-15', kindId: kinds.info_leak.id, description: 'leak' }).expect(201);
    expect(await svc.hasConfirmedMajor(partnerA.id)).toBe(true);
    const before = await svc.deductionsFor(partnerA.id, '2026Q3');
    expect(before.find((d) => d.kindCode === 'info_leak')).toEqual({ kindCode: 'info_leak', kindName: expect.any(String), count: 1, points: '10.00' });
    expect((await manager.post(`/api/violations/${v.body.id}/void`, { reason: ' ' })).status).toBe(422);
    await manager.postForm(`/violations/${v.body.id}/void`, { reason: 'wrong partner' }).expect(303);
    expect(events).toContainEqual({ name: 'violation.voided', payload: { violationId: v.body.id, partnerId: partnerA.id } });
    const lines = (await svc.penaltyAdjustments()).filter((l) => l.violationId === v.body.id);
    expect(lines.map((l) => [l.reference, l.amount])).toEqual([[`violation:${v.body.id}`, '-10000.00'], [`violation:${v.body.id}:void`, '10000.00']]);
    expect((await svc.deductionsFor(partnerA.id, '2026Q3')).find((d) => d.kindCode === 'info_leak')).toBeUndefined();
    await expect(t.db.query(`DELETE FROM violation WHERE id = $1`, [v.body.id])).rejects.toThrow(/never deleted/);
    const audit = await t.db.query(`SELECT reason FROM audit_log WHERE action = 'violation.void' AND entity_id = $1`, [String(v.body.id)]);
    expect(audit[0].reason).toBe('wrong partner');
  });

  it('filters the register and renders the manager pages', async () => {
    const page = await manager.get(`/violations?partnerId=${partnerB.id}`).expect(200);
    expect(page.text).toContain(partnerB.code);
    expect(page.text).not.toContain(`<td>${partnerA.code} `);
    await manager.get('/violations/new').expect(200);
    const kindsPage = await manager.get('/violations/kinds').expect(200);
    expect(kindsPage.text).toContain('false_business');
    const majors = (await manager.getJson('/api/violations?severity=major&status=recorded').expect(200)).body as { severity: string; status: string }[];
    expect(majors.every((v) => v.severity === 'major' && v.status === 'recorded')).toBe(true);
  });

  it('lets only an admin change the catalogue and the response window', async () => {
    expect((await manager.post('/api/violations/kinds', { code: 'x_kind', name: 'X', severity: 'minor', scoreDeduction: '1' })).status).toBe(403);
    const admin = await t.loginAs('admin');
    await admin.postForm('/violations/kinds', { code: 'late_report', name: 'Late report', severity: 'minor', scoreDeduction: '1.5', penaltyAmount: '' }).expect(303);
    await admin.postForm('/violations/kinds/settings', { responseDays: 10 }).expect(303);
    expect((await admin.getJson('/api/violations/settings').expect(200)).body.responseDays).toBe(10);
    const [k] = await t.db.query(`SELECT score_deduction, penalty_amount FROM violation_kind WHERE code = 'late_report'`);
    expect(k).toEqual({ score_deduction: '1.50', penalty_amount: null });
  });
});
