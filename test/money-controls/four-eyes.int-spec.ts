import { Actor, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunCommand } from '../../src/modules/settlement/settlement.commands';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { SettlementService } from '../../src/modules/settlement/settlement.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines } from '../settlement/helpers';

/** Four eyes on money (#16): maker–checker on batches, two approvals above a limit, large adjustments, flagged lines, the CLI's operator. */
describe('money controls: four eyes', () => {
  let t: TestApp;
  let runs: SettlementRunService;
  let batches: SettlementBatchService;
  let settlement: SettlementService;
  const fin: Record<'maker' | 'checker' | 'third', Actor> = {} as never;
  let users: Record<string, { id: number; username: string }>;

  beforeAll(async () => {
    // small limits so the test's figures cross them
    t = await createTestApp({ BATCH_DUAL_APPROVAL_ABOVE: '5000.00', ADJUSTMENT_APPROVAL_ABOVE: '1000.00', ADJUSTMENT_MAX_AMOUNT: '100000.00', LINE_REVIEW_MULTIPLE: '3' });
    runs = t.get(SettlementRunService);
    batches = t.get(SettlementBatchService);
    settlement = t.get(SettlementService);
    users = {};
    for (const k of ['maker', 'checker', 'third'] as const) {
      const u = await t.createUser('finance', { username: `fin-${k}` });
      users[k] = u;
      await t.db.query(`UPDATE user_account SET display_name = $2 WHERE id = $1`, [u.id, `财务${k}`]);
      fin[k] = { ...SYSTEM_ACTOR, id: u.id, username: u.username, displayName: `财务${k}`, role: 'finance' };
    }
  });
  afterAll(() => t?.close());

  const refusal = (p: Promise<unknown>) => p.then(() => null, (e) => (e as Error).message);

  it('the maker cannot approve; another finance user can; the page shows both', async () => {
    const p = await t.createPartner();
    fakeScores(t, { '2026Q1': { [p.id]: '95' } });
    await importCsv(t, '2026Q1', lines(p.code, ['1000.00'], '2026-02-10'));
    const r = await runs.run(fin.maker, '2026Q1');
    expect(await refusal(batches.approve(fin.maker, r.batchId, '自己审批'))).toBe('settlement:errors.makerCannotApprove');
    expect((await batches.get(r.batchId)).status).toBe('draft');
    const b = await batches.approve(fin.checker, r.batchId, '核对无误');
    expect(b.status).toBe('approved');
    expect(b.approvedBy).toBe(fin.checker.id);
    const page = await (await t.login('fin-third')).get(`/settlement/batches/${r.batchId}`);
    expect(page.text).toContain('财务maker');
    expect(page.text).toContain('财务checker');
    expect(page.text).toContain(tDeep('en', 'money:fourEyes.count', { have: 1, needed: 1 }));
  });

  it('a batch above the limit needs two different approvers; a recompute starts approvals afresh', async () => {
    const p = await t.createPartner();
    fakeScores(t, { '2026Q2': { [p.id]: '95' } });
    await importCsv(t, '2026Q2', lines(p.code, ['6000.00'], '2026-05-10'));
    const r = await runs.run(fin.maker, '2026Q2');
    expect(r.totalPay).toBe('6000.00');
    const first = await batches.approve(fin.checker, r.batchId, '第一次审批');
    expect(first.status).toBe('draft');
    expect(await refusal(batches.approve(fin.checker, r.batchId, '再批一次'))).toBe('settlement:errors.alreadyApprovedByYou');
    expect(await refusal(batches.approve(fin.maker, r.batchId, '制单人'))).toBe('settlement:errors.makerCannotApprove');
    // the other finance user (not the maker, not the first approver) is asked for the second approval
    const asked = await t.db.query(`SELECT recipient_user_id AS user_id FROM notification WHERE kind = 'batch.awaitingApproval' AND event_key LIKE $1`, [`batch.awaitingApproval:${r.batchId}:%:second`]);
    expect(asked.map((a: { user_id: number }) => a.user_id)).toEqual([fin.third.id]);

    // recomputed by the third user: the first approval no longer counts and the third user is now the maker
    await runs.run(fin.third, '2026Q2');
    expect((await batches.approvals(r.batchId)).approvals).toHaveLength(0);
    expect(await refusal(batches.approve(fin.third, r.batchId, '制单人'))).toBe('settlement:errors.makerCannotApprove');
    expect((await batches.approve(fin.checker, r.batchId, '第一次')).status).toBe('draft');
    const done = await batches.approve(fin.maker, r.batchId, '第二次');
    expect(done.status).toBe('approved');
    const fe = await batches.approvals(r.batchId);
    expect(fe).toMatchObject({ maker: '财务third', needed: 2 });
    expect(fe.approvals.map((a) => a.name)).toEqual(['财务checker', '财务maker']);
  });

  it('bounds manual adjustments; a large one waits for another finance user before a batch takes it', async () => {
    const p = await t.createPartner();
    fakeScores(t, { '2026Q3': { [p.id]: '95' } });
    const add = (amount: string, ref: string) => settlement.addAdjustment(fin.maker, { partnerId: p.id, amount, kind: 'manual', reason: '手工调整', reference: ref });
    expect(await refusal(add('999999999999.99', 'ADJ-HUGE'))).toBe('settlement:errors.adjustmentTooLarge');
    expect(await refusal(add('-100000.01', 'ADJ-HUGE-2'))).toBe('settlement:errors.adjustmentTooLarge');
    const small = await add('500.00', 'ADJ-SMALL');
    expect(small.status).toBe('approved');
    const big = await add('50000.00', 'ADJ-BIG');
    expect(big.status).toBe('pending');

    await importCsv(t, '2026Q3', lines(p.code, ['100.00'], '2026-08-10'));
    const r = await runs.run(fin.third, '2026Q3');
    const [line] = await t.db.query(`SELECT adjustments::text FROM settlement_line WHERE batch_id = $1 AND partner_id = $2`, [r.batchId, p.id]);
    expect(line.adjustments).toBe('500.00'); // the pending one is not in the batch

    expect(await refusal(settlement.decideAdjustment(fin.maker, big.id, 'approve', ''))).toBe('settlement:errors.requesterCannotDecide');
    expect(await refusal(settlement.decideAdjustment(SYSTEM_ACTOR, big.id, 'approve', ''))).toBe('settlement:errors.deciderMustBeUser');
    await settlement.decideAdjustment(fin.checker, big.id, 'approve', '已核对合同');
    expect(await refusal(settlement.decideAdjustment(fin.third, big.id, 'reject', 'x'))).toBe('settlement:errors.adjustmentNotPending');
    await runs.run(fin.third, '2026Q3');
    const [after] = await t.db.query(`SELECT adjustments::text FROM settlement_line WHERE batch_id = $1 AND partner_id = $2`, [r.batchId, p.id]);
    expect(after.adjustments).toBe('50500.00');
    await batches.cancel(fin.third, r.batchId, '测试结束');
  });

  it('the web form refuses the same limits and shows a pending adjustment with its decision buttons', async () => {
    const p = await t.createPartner();
    const maker = await t.login('fin-maker');
    const tooBig = await maker.postForm('/settlement/adjustments', { partnerCode: p.code, amount: '999999999999.99', kind: 'manual', reason: 'x', reference: 'WEB-HUGE' });
    expect(tooBig.status).toBe(303);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM settlement_adjustment WHERE reference = 'WEB-HUGE'`);
    expect(n).toBe(0);
    await maker.postForm('/settlement/adjustments', { partnerCode: p.code, amount: '-2000.00', kind: 'manual', reason: '扣款', reference: 'WEB-BIG' });
    const [a] = await t.db.query(`SELECT id, status FROM settlement_adjustment WHERE reference = 'WEB-BIG'`);
    expect(a.status).toBe('pending');
    const page = await maker.get('/settlement');
    expect(page.text).toContain(`/settlement/adjustments/${a.id}/decide`);
    expect(page.text).toContain(tDeep('en', 'money:adjustmentStatus.pending'));
    expect((await maker.postForm(`/settlement/adjustments/${a.id}/decide`, { decision: 'approve' })).status).toBe(303);
    expect((await t.db.query(`SELECT status FROM settlement_adjustment WHERE id = $1`, [a.id]))[0].status).toBe('pending');
    const checker = await t.login('fin-checker');
    expect((await checker.postForm(`/settlement/adjustments/${a.id}/decide`, { decision: 'reject', note: '无依据' })).status).toBe(303);
    expect((await t.db.query(`SELECT status, decided_by FROM settlement_adjustment WHERE id = $1`, [a.id]))[0]).toEqual({ status: 'rejected', decided_by: fin.checker.id });
    // a partner user cannot decide
    const partner = await t.loginAs('partner', { partnerId: p.id });
    expect((await partner.postForm(`/settlement/adjustments/${a.id}/decide`, { decision: 'approve' })).status).toBe(403);
  });

  it('flags a line above 3× the last four quarters\' average; approval is refused until it is ticked', async () => {
    const p = await t.createPartner();
    const q = await t.createPartner();
    const periods = ['2025Q1', '2025Q2', '2025Q3', '2025Q4'];
    fakeScores(t, Object.fromEntries([...periods, '2026Q4'].map((per) => [per, { [p.id]: '95', [q.id]: '95' }])));
    for (const [i, per] of periods.entries()) {
      const month = String(i * 3 + 2).padStart(2, '0');
      await importCsv(t, per, lines(p.code, ['100.00'], `${per.slice(0, 4)}-${month}-10`) + lines(q.code, ['100.00'], `${per.slice(0, 4)}-${month}-10`));
      const r = await runs.run(fin.maker, per);
      await batches.approve(fin.checker, r.batchId, 'ok');
    }
    await importCsv(t, '2026Q4', lines(p.code, ['301.00'], '2026-11-10') + lines(q.code, ['300.00'], '2026-11-10'));
    const r = await runs.run(fin.maker, '2026Q4');
    const flagged = await t.db.query(`SELECT l.id::text AS id, l.partner_id, l.review_flags, l.review_avg_pay::text FROM settlement_line l WHERE batch_id = $1 AND cardinality(review_flags) > 0`, [r.batchId]);
    expect(flagged).toEqual([{ id: expect.any(String), partner_id: p.id, review_flags: ['high_pay'], review_avg_pay: '100.00' }]); // 300.00 is not above 3×
    const err = await batches.approve(fin.checker, r.batchId, 'ok').catch((e) => e);
    expect(err.message).toBe('settlement:errors.flagsNotAcknowledged');
    expect(err.params).toMatchObject({ count: 1, list: p.code });
    // the page lists it with a checkbox; ticking it through the form approves
    const checker = await t.login('fin-checker');
    const page = await checker.get(`/settlement/batches/${r.batchId}`);
    expect(page.text).toContain(`name="acknowledge" value="${flagged[0].id}"`);
    const res = await checker.postForm(`/settlement/batches/${r.batchId}/approve`, { comment: '已复核', acknowledge: flagged[0].id });
    expect(res.status).toBe(303);
    expect((await batches.get(r.batchId)).status).toBe('approved');
    const [ack] = await t.db.query(`SELECT flag_ack_by FROM settlement_line WHERE id = $1`, [flagged[0].id]);
    expect(ack.flag_ack_by).toBe(fin.checker.id);
  });

  it('the CLI run needs --as: an unknown or non-finance name is refused; the named user is the maker', async () => {
    const cmd = t.get(SettlementRunCommand);
    const p = await t.createPartner();
    fakeScores(t, { '2027Q1': { [p.id]: '95' } });
    await importCsv(t, '2027Q1', lines(p.code, ['10.00'], '2027-01-10'));
    expect(await refusal(cmd.run([], { period: '2027Q1', as: 'nobody-here' }))).toBe('money:cli.unknownOperator');
    const manager = await t.createUser('channel_manager');
    expect(await refusal(cmd.run([], { period: '2027Q1', as: manager.username }))).toBe('money:cli.unknownOperator');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await cmd.run([], { period: '2027Q1', as: 'FIN-MAKER' });
    log.mockRestore();
    const [b] = await t.db.query(`SELECT id, computed_by FROM settlement_batch WHERE period = '2027Q1'`);
    expect(b.computed_by).toBe(fin.maker.id);
    expect(await refusal(batches.approve(fin.maker, b.id, 'x'))).toBe('settlement:errors.makerCannotApprove');
  });
});
