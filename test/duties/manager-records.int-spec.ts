import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { periodOfDate, previousPeriod, todayIso } from '../../src/core/period/period.util';
import { addDays } from '../../src/modules/duties/date.util';
import { DutiesService } from '../../src/modules/duties/duties.service';
import { insertCustomer } from '../customers/fixtures';
import { createTestApp, Session, TestApp } from '../support/test-app';

/** #17 (seed 003 客户经理+合作伙伴): a channel manager holding customers records service work for them like a partner. */
const P = previousPeriod(periodOfDate(todayIso()).code); // a past quarter: its items are due
const at = (date: string, time = '10:00') => `${date}T${time}:00`;

describe('duties: the channel manager as a service channel', () => {
  let t: TestApp;
  let duties: DutiesService;
  let mgr: Session;
  let mgrId: number;
  let other: Session;
  let partner: Session;
  let p1: { id: number; code: string };
  let held: { id: number; code: string };
  let partners: { id: number; code: string };

  const items = (customerId: number) => t.db.query(
    `SELECT t.code, ci.status, ci.required_count AS required, ci.fulfilled_count AS fulfilled, ci.partner_id AS "partnerId"
       FROM checklist_item ci JOIN duty_template t ON t.id = ci.duty_template_id
      WHERE ci.customer_id = $1 AND ci.period = $2 ORDER BY t.sort_order`, [customerId, P.code]);
  const recordCount = async (customerId: number) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM service_record WHERE customer_id = $1`, [customerId]))[0].n as number;

  beforeAll(async () => {
    t = await createTestApp();
    duties = t.get(DutiesService);
    const u = await t.createUser('channel_manager');
    mgrId = u.id;
    mgr = await t.login(u.username, u.password);
    other = await t.loginAs('channel_manager');
    p1 = await t.createPartner();
    partner = await t.loginAs('partner', { partnerId: p1.id });
    held = await insertCustomer(t, { partnerId: null, stage: 'development', cls: 'A' });
    await t.db.query(`INSERT INTO customer_assignment (customer_id, manager_user_id, valid_from, reason) VALUES ($1, $2, '2025-01-01', 'fixture')`, [held.id, mgrId]);
    partners = await insertCustomer(t, { partnerId: p1.id, stage: 'development', cls: 'A' });
    await duties.generate(SYSTEM_ACTOR, P.code);
  });
  afterAll(() => t?.close());

  it('offers the form with the customers the manager holds, not the partners\'', async () => {
    const before = await items(held.id);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((i: { partnerId: number | null; status: string }) => i.partnerId === null && i.status === 'open')).toBe(true);
    const form = await mgr.get('/duties/records/new').expect(200);
    expect(form.text).toContain('action="/duties/records"');
    expect(form.text).toContain(`<option value="${held.id}"`);
    expect(form.text).not.toContain(`<option value="${partners.id}"`);
    expect((await other.get('/duties/records/new').expect(200)).text).not.toContain(`<option value="${held.id}"`);
  });

  it('ticks the manager-held checklist items through the same form, lists the record and audits it', async () => {
    const day = addDays(P.start, 10);
    const res = await mgr.postForm('/duties/records', { customerId: held.id, recordType: 'visit', occurredAt: at(day), description: '客户经理上门拜访' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/duties/records');
    const after = await items(held.id);
    expect(after.find((i: { code: string }) => i.code === 'promotion').fulfilled).toBe(1);
    expect(after.find((i: { code: string }) => i.code === 'customer_service').fulfilled).toBe(1);
    const [rec] = await t.db.query(`SELECT id, partner_id AS "partnerId", manager_user_id AS "managerUserId", period FROM service_record WHERE customer_id = $1`, [held.id]);
    expect(rec).toMatchObject({ partnerId: null, managerUserId: mgrId, period: P.code });
    const [audit] = await t.db.query(`SELECT actor_user_id AS "actor", partner_id AS "partnerId", after FROM audit_log WHERE action = 'record.create' AND entity_id = $1`, [String(rec.id)]);
    expect(audit).toMatchObject({ actor: mgrId, partnerId: null });
    expect(audit.after).toMatchObject({ customerId: held.id, recordType: 'visit', ticked: 2 });
    const list = await mgr.get(`/duties/records?period=${P.code}`).expect(200);
    expect(list.text).toContain('客户经理上门拜访');
    expect((await other.get('/duties/records').expect(200)).text).not.toContain('客户经理上门拜访');
    const xlsx = await mgr.get('/duties/records?format=xlsx').buffer(true).parse((r, cb) => { const b: Buffer[] = []; r.on('data', (d: Buffer) => b.push(d)); r.on('end', () => cb(null, Buffer.concat(b))); }).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const cells: unknown[] = [];
    wb.worksheets[0].eachRow((row) => cells.push(...(row.values as unknown[])));
    expect(cells).toContain('客户经理上门拜访');
  });

  it('fulfils an item once its count is reached (the API as well), so it leaves the overdue list', async () => {
    const overdueBefore = await mgr.getJson(`/api/duties/overdue`).expect(200);
    const promo = (rows: { customerId: number; dutyCode: string }[]) => rows.some((r) => r.customerId === held.id && r.dutyCode === 'promotion');
    expect(promo(overdueBefore.body)).toBe(true);
    for (const d of [11, 12]) {
      const r = await mgr.post('/api/records', { customerId: held.id, recordType: 'visit', occurredAt: at(addDays(P.start, d)), description: 'visit' });
      expect(r.status).toBe(201);
      expect(r.body.ticked).toBeGreaterThanOrEqual(1);
    }
    const promotion = (await items(held.id)).find((i: { code: string }) => i.code === 'promotion');
    expect(promotion).toMatchObject({ status: 'fulfilled', fulfilled: 3, required: 3 });
    expect(promo((await mgr.getJson(`/api/duties/overdue`).expect(200)).body)).toBe(false);
    // the repair tool counts the manager's records for manager-held items too (it used to zero them)
    await duties.recount(P.code);
    expect((await items(held.id)).find((i: { code: string }) => i.code === 'promotion')).toMatchObject({ status: 'fulfilled', fulfilled: 3 });
  });

  it('refuses a customer the manager does not hold, a partner\'s customer, and leaves everything unchanged', async () => {
    const day = addDays(P.start, 20);
    const notMine = await other.post('/api/records', { customerId: held.id, recordType: 'visit', occurredAt: at(day), description: 'x' });
    expect(notMine.status).toBe(422);
    expect(notMine.body.errors[0]).toMatchObject({ field: 'customerId', message: expect.stringContaining(held.code) });
    const before = await items(partners.id);
    const partnersCustomer = await mgr.post('/api/records', { customerId: partners.id, recordType: 'visit', occurredAt: at(day), description: 'x' });
    expect(partnersCustomer.status).toBe(422);
    expect(await items(partners.id)).toEqual(before);
    expect(await recordCount(partners.id)).toBe(0);
    // the partner cannot record for (or read the records of) the manager's customer
    expect((await partner.post('/api/records', { customerId: held.id, recordType: 'visit', occurredAt: at(day), description: 'x' })).status).toBe(404);
    const [rec] = await t.db.query(`SELECT id FROM service_record WHERE manager_user_id = $1 LIMIT 1`, [mgrId]);
    expect((await partner.getJson(`/api/records/${rec.id}`)).status).toBe(404);
    expect(await recordCount(held.id)).toBe(3);
  });

  it('applies the partners\' rules: invalid input and locked quarters are refused; partners get 403 on the pages', async () => {
    const bad = await mgr.post('/api/records', { customerId: held.id, recordType: 'visit', occurredAt: at(addDays(todayIso(), 2)), description: '' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['occurredAt', 'description']);
    const old = previousPeriod(P.code);
    await duties.lockQuarter(SYSTEM_ACTOR, old.code, 'scored');
    const locked = await mgr.post('/api/records', { customerId: held.id, recordType: 'visit', occurredAt: at(addDays(old.start, 4)), description: 'late' });
    expect(locked.status).toBe(422);
    expect(locked.body.errors[0]).toMatchObject({ field: 'occurredAt', message: `quarter ${old.code} is locked; records for it can no longer be added` });
    expect(await recordCount(held.id)).toBe(3);
    expect((await partner.get('/duties/records')).status).toBe(403);
    expect((await partner.get('/duties/records/new')).status).toBe(403);
  });
});
