import { DEMO_PASSWORD, runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { OutputCapture } from './helpers-capture';

/**
 * Findings of the outside review (issue #14), each with the test that failed before its fix: the partner's timeline,
 * former holders of a customer, handover items that told "completed" to strangers, system-only adjustment kinds,
 * bounded inquiry amounts, and database error text.
 */
describe('review findings', () => {
  let t: TestApp;
  const out = new OutputCapture();
  let partnerUser: { username: string; partnerId: number };
  let p: Session;

  beforeAll(async () => {
    out.start();
    t = await createTestApp({ LOG_LEVEL: 'info' });
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
    [partnerUser] = await t.db.query(`SELECT u.username, u.partner_id AS "partnerId" FROM user_account u JOIN partner p ON p.id = u.partner_id
      WHERE u.role = 'partner' AND p.status = 'active' AND EXISTS (SELECT 1 FROM settlement_line l WHERE l.partner_id = p.id) ORDER BY u.id LIMIT 1`);
    p = await t.login(partnerUser.username, DEMO_PASSWORD);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    out.stop();
  });

  it('a partner\'s timeline shows what was shared with it, never pending exit proposals or draft score edits', async () => {
    const { partnerId } = partnerUser;
    // internal work about this partner: a pending exit proposal and a draft score edit
    await t.db.query(`INSERT INTO audit_log (actor_label, action, entity_type, entity_id, partner_id, after) VALUES
      ('manager1', 'exit.propose', 'exit_proposal', '999', $1, '{"trigger":"low_score"}'),
      ('manager1', 'scoring.sheet.revise', 'score_sheet', '998', $1, '{"y":"55.00"}'),
      ('manager1', 'violation.record', 'violation', '997', $1, '{"severity":"minor"}')`, [partnerId]);
    const mine = await p.getJson(`/api/partners/${partnerId}/history`);
    expect([mine.status, mine.body?.message]).toEqual([200, undefined]);
    const labels = (mine.body as { label: string }[]).map((e: { label: string }) => e.label);
    expect(labels).toContain('violation.record');
    expect(labels).not.toContain('exit.propose');
    expect(labels).not.toContain('scoring.sheet.revise');
    const staff = await t.loginAs('channel_manager');
    const all = (await staff.getJson(`/api/partners/${partnerId}/history`)).body;
    expect((all as { label: string }[]).map((e) => e.label)).toEqual(expect.arrayContaining(['exit.propose', 'scoring.sheet.revise']));
  });

  it('a former holder no longer reads a customer after it was reassigned; the current holder does', async () => {
    const [row] = await t.db.query(`SELECT ca.customer_id AS "customerId", ca.partner_id AS "partnerId", u.username FROM customer_assignment ca
      JOIN user_account u ON u.partner_id = ca.partner_id AND u.role = 'partner' JOIN partner pa ON pa.id = ca.partner_id AND pa.status = 'active'
      WHERE ca.valid_to IS NULL ORDER BY ca.customer_id LIMIT 1`);
    const holder = await t.login(row.username, DEMO_PASSWORD);
    expect((await holder.getJson(`/api/customers/${row.customerId}`)).status).toBe(200);
    const [other] = await t.db.query(`SELECT id FROM partner WHERE status = 'active' AND id <> $1 ORDER BY id LIMIT 1`, [row.partnerId]);
    const manager = await t.loginAs('channel_manager');
    const moved = await manager.post(`/api/customers/${row.customerId}/assignments`, { partnerId: other.id, effectiveOn: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()), reason: 'test: reassigned' });
    expect(moved.status).toBeLessThan(300);
    const after = await holder.getJson(`/api/customers/${row.customerId}`);
    expect(after.status).toBe(404);
    expect((await holder.getJson('/api/customers/987654321')).body).toEqual(after.body);
  });

  it('a handover item of someone else answers exactly like one that does not exist (no "already completed")', async () => {
    // an item of another partner's handover that has been completed (before the fix: 422 "handover completed")
    const [item] = await t.db.query(`SELECT hi.id, h.id AS handover FROM handover_item hi JOIN handover h ON h.id = hi.handover_id
      WHERE h.partner_id <> $1 AND (hi.receiving_partner_id IS NULL OR hi.receiving_partner_id <> $1) ORDER BY hi.id LIMIT 1`, [partnerUser.partnerId]);
    await t.db.query(`UPDATE handover SET status = 'completed', completed_at = now() WHERE id = $1`, [item.handover]);
    expect(item).toBeDefined();
    const json = (id: number) => p.agent.post(`/my/exit/items/${id}/acknowledge`).set('Accept', 'application/json').set('x-csrf-token', p.csrf).send({});
    const theirs = await json(item.id);
    const missing = await json(987654321);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(missing.body);
  });

  it('inquiry and carry-forward adjustments are the system\'s: finance cannot enter them (API or form)', async () => {
    const finance = await t.loginAs('finance');
    const [partner] = await t.db.query(`SELECT id, code FROM partner WHERE status = 'active' ORDER BY id LIMIT 1`);
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM settlement_adjustment`))[0].n as number;
    const before = await count();
    for (const kind of ['inquiry', 'carry_forward']) {
      const api = await finance.post('/api/settlement/adjustments', { partnerId: partner.id, amount: '100.00', kind, reason: 'by hand', reference: `HAND-${kind}` });
      expect(api.status).toBe(400);
      expect(api.body.errors[0].field).toBe('kind');
      const form = await finance.postForm('/settlement/adjustments', { partnerCode: partner.code, amount: '100.00', kind, reason: 'by hand', reference: `FORM-${kind}` });
      expect(form.status).toBe(303);
    }
    expect(await count()).toBe(before);
    const page = await finance.get('/settlement');
    expect(page.text).not.toMatch(/<option value="(inquiry|carry_forward)"/);
  });

  it('an inquiry amount is never zero and at most what the partner accrued on the line', async () => {
    // the demo's latest batch is already exported: open it for inquiries again (this test is about the amount rule)
    await t.db.query(`UPDATE settlement_batch SET status = 'approved' WHERE id = (SELECT max(id) FROM settlement_batch)`);
    const [line] = await t.db.query(`SELECT l.id, l.accrued::text AS accrued, min(u.username) AS username FROM settlement_line l
      JOIN settlement_batch b ON b.id = l.batch_id JOIN user_account u ON u.partner_id = l.partner_id AND u.role = 'partner'
      WHERE b.status IN ('draft', 'approved') AND l.accrued > 0 GROUP BY l.id ORDER BY l.id DESC LIMIT 1`);
    if (!line) throw new Error('the demo data has no open statement line');
    const p = await t.login(line.username, DEMO_PASSWORD);
    const zero = await p.post('/api/settlement/inquiries', { lineId: Number(line.id), amount: '0.00', reason: 'zero' });
    expect(zero.status).toBe(422);
    expect(zero.body.errors[0].field).toBe('amount');
    const tooHigh = await p.post('/api/settlement/inquiries', { lineId: Number(line.id), amount: (Number(line.accrued) + 0.01).toFixed(2), reason: 'too much' });
    expect(tooHigh.status).toBe(422);
    expect(tooHigh.body.errors[0].field).toBe('amount');
    const ok = await p.post('/api/settlement/inquiries', { lineId: Number(line.id), amount: line.accrued, reason: 'all of it' });
    expect(ok.status).toBe(201);
  });

  it('database refusals reach the person without database text, with a request id that is in the log', async () => {
    const res = await p.getJson('/api/records/99999999999999999999');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).not.toMatch(/bigint|out of range|syntax|constraint|_fkey|_key/i);
    if (res.body.requestId) {
      expect(res.headers['x-request-id']).toBe(res.body.requestId);
      expect(out.text()).toContain(`[request ${res.body.requestId}]`);
    }
    // a duplicate reference through a path that reaches the database's unique index names the field
    const finance = await t.loginAs('finance');
    const [partner] = await t.db.query(`SELECT id FROM partner WHERE status = 'active' ORDER BY id LIMIT 1`);
    const [a, b] = await Promise.all([1, 2].map(() => finance.post('/api/settlement/adjustments', { partnerId: partner.id, amount: '-10.00', kind: 'manual', reason: 'race', reference: 'RACE-REF-1' })));
    const refused = [a, b].find((r) => r.status >= 400);
    if (refused) {
      expect([409, 422]).toContain(refused.status);
      expect(JSON.stringify(refused.body)).not.toMatch(/settlement_adjustment|_key|_uq|RACE-REF-1"?\)/);
      expect(refused.body.errors?.[0]?.field ?? 'reference').toBe('reference');
    }
  });
});
