import request from 'supertest';
import { todayIso } from '../../src/core/period/period.util';
import { ExitCollaborators } from '../../src/modules/exit/exit-collaborators';
import { createTestApp, Session, TestApp, TEST_PASSWORD } from '../support/test-app';

describe('exit: triggers, proposals, handover, completion', () => {
  let t: TestApp;
  let manager: Session;
  let collab: ExitCollaborators;
  const scores = new Map<number, { period: string; scoreY: string }[]>();
  const today = todayIso();
  let customerSeq = 0;
  let kindIds: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
    manager = await t.loginAs('channel_manager');
    collab = t.app.get(ExitCollaborators);
    // scoring is another module: its contract is replaced by a double holding the confirmed scores of each test
    jest.spyOn(collab, 'lastConfirmedScores').mockImplementation(async (pid, n) => (scores.get(pid) ?? []).slice(0, n));
    jest.spyOn(collab, 'confirmedSheets').mockImplementation(async (period) =>
      new Map([...scores.entries()].flatMap(([pid, list]) => list.filter((s) => s.period === period).map((s) => [pid, { scoreY: s.scoreY }] as [number, { scoreY: string }]))));
    kindIds = Object.fromEntries((await t.db.query(`SELECT code, id FROM violation_kind`)).map((r: { code: string; id: number }) => [r.code, r.id]));
  });
  afterAll(() => t?.close());

  async function addCustomer(partnerId: number, region = 'Guiyang'): Promise<number> {
    const n = ++customerSeq;
    const [c] = await t.db.query(`INSERT INTO customer (code, name, region, customer_class, stage) VALUES ($1, $2, $3, 'B', 'maturity') RETURNING id`, [`EX-C${n}`, `Exit customer ${n}`, region]);
    await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', 'fixture')`, [c.id, partnerId]);
    return c.id;
  }
  type ProposalRow = { id: number; trigger: string; status: string; evidence: { violationIds?: number[]; note?: string } };
  const proposalsOf = (partnerId: number): Promise<ProposalRow[]> => t.db.query(`SELECT id, trigger, status, evidence FROM exit_proposal WHERE partner_id = $1 ORDER BY id`, [partnerId]);
  async function waitFor<T>(fn: () => Promise<T[]>, min = 1): Promise<T[]> {
    // the evaluation is a durable job run by a worker (polling each second): allow it a few seconds on a busy machine
    for (let i = 0; i < 300; i++) { const r = await fn(); if (r.length >= min) return r; await new Promise((res) => setTimeout(res, 50)); }
    return fn();
  }

  it('proposes an exit when a major violation is recorded (on the event), once', async () => {
    const p = await t.createPartner();
    const v = await manager.post('/api/violations', { partnerId: p.id, occurredOn: '2026-11-02', kindId: kindIds.info_leak, description: 'sold the customer list' }).expect(201);
    const [prop] = await waitFor(() => proposalsOf(p.id));
    expect(prop).toMatchObject({ trigger: 'major_violation', status: 'proposed', evidence: { violationIds: [v.body.id] } });
    await manager.post('/api/exits/evaluate', {}).expect(201);
    expect(await proposalsOf(p.id)).toHaveLength(1);
    // a minor violation proposes nothing
    const q = await t.createPartner();
    await manager.post('/api/violations', { partnerId: q.id, occurredOn: '2026-11-02', kindId: kindIds.missing_service, description: 'missed visit' }).expect(201);
    await manager.post('/api/exits/evaluate', {}).expect(201);
    expect(await proposalsOf(q.id)).toHaveLength(0);
  });

  it('proposes on a score below the floor in the confirmed quarter', async () => {
    const p = await t.createPartner();
    scores.set(p.id, [{ period: '2026Q3', scoreY: '55.00' }, { period: '2026Q2', scoreY: '95.00' }]);
    const res = await manager.post('/api/exits/evaluate', { period: '2026Q3' }).expect(201);
    expect(res.body.filter((r: { partnerId: number }) => r.partnerId === p.id).map((r: { trigger: string }) => r.trigger)).toEqual(['score_floor']);
    const [prop] = await proposalsOf(p.id);
    expect(prop.evidence).toEqual({ scores: [{ period: '2026Q3', scoreY: '55.00' }] });
  });

  it('proposes after two consecutive confirmed quarters below 90', async () => {
    const p = await t.createPartner();
    scores.set(p.id, [{ period: '2026Q3', scoreY: '89.99' }, { period: '2026Q2', scoreY: '80.00' }]);
    await manager.post('/api/exits/evaluate', {}).expect(201);
    expect((await proposalsOf(p.id)).map((r: { trigger: string }) => r.trigger)).toEqual(['consecutive_low']);
  });

  it('proposes when the contract end date is reached', async () => {
    const p = await t.createPartner({ contractEndOn: '2026-06-30' });
    const later = await t.createPartner({ contractEndOn: '2099-12-31' });
    await manager.post('/api/exits/evaluate', {}).expect(201);
    expect((await proposalsOf(p.id)).map((r: { trigger: string; evidence: unknown }) => [r.trigger, r.evidence])).toEqual([['contract_end', { contractEndOn: '2026-06-30' }]]);
    expect(await proposalsOf(later.id)).toHaveLength(0);
  });

  it('records a voluntary exit request from the partner, once', async () => {
    const p = await t.createPartner();
    const pu = await t.loginAs('partner', { partnerId: p.id });
    await pu.postForm('/my/exit/request', { note: 'retiring from the channel business' }).expect(303);
    expect((await proposalsOf(p.id)).map((r: ProposalRow) => [r.trigger, r.evidence.note])).toEqual([['voluntary', 'retiring from the channel business']]);
    const again = await pu.post('/api/exits/voluntary', { note: 'again' });
    expect(again.status).toBe(422);
    expect((await pu.get('/my/exit').expect(200)).text).toContain('retiring from the channel business');
  });

  it('dismisses with a reason only, and does not propose again for the same facts', async () => {
    const p = await t.createPartner();
    scores.set(p.id, [{ period: '2026Q3', scoreY: '40.00' }]);
    await manager.post('/api/exits/evaluate', { period: '2026Q3' }).expect(201);
    const [prop] = await proposalsOf(p.id);
    expect((await manager.post(`/api/exits/${prop.id}/dismiss`, { reason: '  ' })).status).toBe(422);
    await manager.postForm(`/exits/${prop.id}/dismiss`, { reason: 'score disputed and corrected upstream' }).expect(303);
    const [after] = await t.db.query(`SELECT status, reason FROM exit_proposal WHERE id = $1`, [prop.id]);
    expect(after).toEqual({ status: 'dismissed', reason: 'score disputed and corrected upstream' });
    await manager.post('/api/exits/evaluate', { period: '2026Q3' }).expect(201);
    expect(await proposalsOf(p.id)).toHaveLength(1);
    const [{ status }] = await t.db.query(`SELECT status FROM partner WHERE id = $1`, [p.id]);
    expect(status).toBe('active');
  });

  describe('approval, handover and completion', () => {
    let x: { id: number; code: string };
    let receiver: { id: number; code: string };
    let otherRegion: { id: number };
    let proposalId: number;
    let xUser: { username: string };
    let xSession: Session;
    let receiverSession: Session;
    let c1: number;
    let c2: number;
    let items: { id: number; customerId: number }[];

    beforeAll(async () => {
      x = await t.createPartner({ region: 'Guiyang' });
      receiver = await t.createPartner({ region: 'Guiyang, Zunyi', tier: 'A' });
      otherRegion = await t.createPartner({ region: 'Anshun', tier: 'A' });
      c1 = await addCustomer(x.id);
      c2 = await addCustomer(x.id);
      xUser = await t.createUser('partner', { partnerId: x.id });
      xSession = await t.login(xUser.username);
      receiverSession = await t.loginAs('partner', { partnerId: receiver.id });
      const v = await manager.post('/api/violations', { partnerId: x.id, occurredOn: '2026-11-01', kindId: kindIds.false_business, description: 'fake orders' }).expect(201);
      const [prop] = await waitFor(() => proposalsOf(x.id));
      proposalId = prop.id;
      expect(prop.evidence.violationIds).toEqual([v.body.id]);
    });

    it('approval makes the partner exiting, lists every customer and makes its users read-only', async () => {
      expect((await manager.post(`/api/exits/${proposalId}/approve`, {})).status).toBe(400);
      await manager.postForm(`/exits/${proposalId}/approve`, { reason: 'confirmed after review' }).expect(303);
      const [{ status }] = await t.db.query(`SELECT status FROM partner WHERE id = $1`, [x.id]);
      expect(status).toBe('exiting');
      const board = await manager.getJson(`/api/exits/${proposalId}/handover`).expect(200);
      items = board.body.items;
      expect(items.map((i) => i.customerId).sort()).toEqual([c1, c2].sort());
      const refused = await xSession.post('/api/exits/voluntary', { note: 'x' });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/read-only/);
      expect((await xSession.get('/my/exit')).status).toBe(200);
    });

    it('refuses the exit in the database while customers are still assigned (direct UPDATE)', async () => {
      await expect(t.db.query(`UPDATE partner SET status = 'exited' WHERE id = $1`, [x.id])).rejects.toThrow(/cannot exit: 2 customer\(s\) are still assigned/);
      const res = await manager.post(`/api/exits/${proposalId}/complete`, {});
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(/still assigned/);
    });

    it('ranks receiving candidates and refuses ineligible receivers', async () => {
      const item1 = items.find((i) => i.customerId === c1)!;
      const cands = (await manager.getJson(`/api/exits/handover-items/${item1.id}/candidates`).expect(200)).body as { partnerId: number; eligible: boolean; refusal: string | null }[];
      expect(cands[0]).toMatchObject({ partnerId: receiver.id, eligible: true });
      expect(cands.find((c) => c.partnerId === otherRegion.id)?.refusal).toMatch(/not the customer's region/);
      expect(cands.some((c) => c.partnerId === x.id)).toBe(false);
      const wrong = await manager.post(`/api/exits/handover-items/${item1.id}/assign`, { partnerId: otherRegion.id, effectiveOn: today });
      expect(wrong.status).toBe(422);
      const self = await manager.post(`/api/exits/handover-items/${item1.id}/assign`, { partnerId: x.id, effectiveOn: today });
      expect(self.status).toBe(422);
    });

    it('hands customers over with no gap and no overlap, to a partner or a channel manager', async () => {
      const item1 = items.find((i) => i.customerId === c1)!;
      const item2 = items.find((i) => i.customerId === c2)!;
      await manager.postForm(`/exits/${proposalId}/handover/items/${item1.id}/assign`, { partnerId: receiver.id, effectiveOn: today, reason: 'nearest A-tier partner' }).expect(303);
      const me = (await manager.getJson('/api/auth/me').expect(200)).body;
      await manager.post(`/api/exits/handover-items/${item2.id}/assign`, { managerUserId: me.id, effectiveOn: today }).expect(201);
      for (const c of [c1, c2]) {
        const rows = await t.db.query(`SELECT partner_id, manager_user_id, valid_from::text AS f, valid_to::text AS t FROM customer_assignment WHERE customer_id = $1 ORDER BY valid_from`, [c]);
        expect(rows).toHaveLength(2);
        expect(rows[0]).toMatchObject({ partner_id: x.id, t: today });
        expect(rows[1].f).toBe(rows[0].t); // the new range starts exactly where the old one ends
        expect(rows[1].t).toBeNull();
      }
      const [{ overlaps }] = await t.db.query(`SELECT count(*)::int AS overlaps FROM customer_assignment a JOIN customer_assignment b
        ON a.customer_id = b.customer_id AND a.id < b.id AND a.valid_from < coalesce(b.valid_to, 'infinity') AND b.valid_from < coalesce(a.valid_to, 'infinity')
        WHERE a.customer_id = ANY($1::int[])`, [[c1, c2]]);
      expect(overlaps).toBe(0);
      const again = await manager.post(`/api/exits/handover-items/${item1.id}/assign`, { partnerId: receiver.id, effectiveOn: today });
      expect(again.status).toBe(422);
    });

    it('still refuses the exit in the database while a checklist item is open', async () => {
      await expect(t.db.query(`UPDATE partner SET status = 'exited' WHERE id = $1`, [x.id])).rejects.toThrow(/handover checklist\(s\) still have open items/);
    });

    it('lets each side tick only its own checklist items', async () => {
      const item1 = items.find((i) => i.customerId === c1)!;
      const item2 = items.find((i) => i.customerId === c2)!;
      // the exiting partner may still confirm what it transferred (handover work is allowed while read-only)
      await xSession.postForm(`/my/exit/items/${item1.id}/transferred`, { documentsTransferred: 'true', openRecordsTransferred: 'true', arrearsListTransferred: 'true' }).expect(303);
      expect((await xSession.post(`/api/exits/handover-items/${item1.id}/checklist`, { receiverAcknowledged: true })).status).toBe(403);
      // the receiving partner acknowledges; another partner cannot see the item
      const stranger = await t.loginAs('partner', { partnerId: otherRegion.id });
      expect((await stranger.post(`/api/exits/handover-items/${item1.id}/checklist`, { receiverAcknowledged: true })).status).toBe(404);
      expect((await receiverSession.get('/my/exit').expect(200)).text).toContain('Acknowledge receipt');
      await receiverSession.postForm(`/my/exit/items/${item1.id}/acknowledge`, {}).expect(303);
      await manager.post(`/api/exits/handover-items/${item1.id}/checklist`, { customerInformedOn: today }).expect(201);
      await manager.postForm(`/exits/${proposalId}/handover/items/${item2.id}/checklist`, {
        documentsTransferred: 'true', openRecordsTransferred: 'true', arrearsListTransferred: 'true', customerInformedOn: today, receiverAcknowledged: 'true',
      }).expect(303);
      const rows = await t.db.query(`SELECT done_at IS NOT NULL AS done FROM handover_item WHERE id = ANY($1::int[])`, [[item1.id, item2.id]]);
      expect(rows.every((r: { done: boolean }) => r.done)).toBe(true);
      const board = await manager.get(`/exits/${proposalId}/handover`).expect(200);
      expect(board.text).toContain('2 of 2 customer(s) fully handed over');
    });

    it('completes: exited, logins deactivated with sessions revoked, final settlement run, archive readable', async () => {
      await xSession.getJson('/api/auth/me').expect(200);
      const settle = jest.spyOn(collab, 'runFinalSettlement');
      // the partner's response window (EXIT_RESPONSE_DAYS after the proposal) is still open: refused, nothing changed (#16)
      const early = await manager.post(`/api/exits/${proposalId}/complete`, { overrideReason: 'urgent' });
      expect(early.status).toBe(422);
      expect(early.body.message).toMatch(/may respond until/);
      expect(settle).not.toHaveBeenCalled();
      await t.db.query(`UPDATE exit_proposal SET proposed_at = proposed_at - interval '8 days' WHERE id = $1`, [proposalId]);
      const res = await manager.post(`/api/exits/${proposalId}/complete`, {}).expect(201);
      expect(res.body).toEqual({ batchId: expect.any(Number), usersDeactivated: 1 });
      expect(settle).toHaveBeenCalledWith(expect.objectContaining({ id: expect.any(Number) }), x.id, expect.objectContaining({ exitDate: today, reason: expect.stringContaining('合作退出完成') }), expect.anything());
      // the real final settlement: no accruals, the 5,000.00 false-business penalty netted
      const [batch] = await t.db.query(`SELECT kind, partner_id, status FROM settlement_batch WHERE id = $1`, [res.body.batchId]);
      expect(batch).toMatchObject({ kind: 'final', partner_id: x.id });
      const lines = await t.db.query(`SELECT accrued, adjustments, total_formula, total_pay, carry_forward FROM settlement_line WHERE batch_id = $1`, [res.body.batchId]);
      expect(lines).toEqual([{ accrued: '0.00', adjustments: '-5000.00', total_formula: '0.00', total_pay: '0.00', carry_forward: '-5000.00' }]);
      const [{ status }] = await t.db.query(`SELECT status FROM partner WHERE id = $1`, [x.id]);
      expect(status).toBe('exited');
      expect((await xSession.getJson('/api/auth/me')).status).toBe(401);
      const again = await request(t.http).post('/api/auth/login').send({ username: xUser.username, password: TEST_PASSWORD });
      expect(again.status).not.toBe(200);
      const login = await (await t.anonymousWithCsrf()).post('/api/auth/login', { username: xUser.username, password: TEST_PASSWORD });
      expect(login.status).toBe(401);
      expect(login.body.message).toMatch(/deactivated: 合作已于 \d{4}-\d{2}-\d{2} 结束/);
      const [prop] = await t.db.query(`SELECT status, final_settlement_batch_id, exit_date::text AS d FROM exit_proposal WHERE id = $1`, [proposalId]);
      expect(prop).toEqual({ status: 'completed', final_settlement_batch_id: res.body.batchId, d: today });
      const finance = await t.loginAs('finance');
      const archive = await finance.get(`/exits/${proposalId}/archive`).expect(200);
      expect(archive.text).toContain(x.code);
      expect(archive.text).toContain('exited');
    });

    it('keeps a partner away from another partner\'s violations', async () => {
      const [v] = await t.db.query(`SELECT id FROM violation WHERE partner_id = $1`, [x.id]);
      expect((await receiverSession.getJson(`/api/violations/${v.id}`)).status).toBe(404);
      expect((await receiverSession.getJson('/api/violations').expect(200)).body).toEqual([]);
    });
  });
});
