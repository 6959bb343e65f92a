import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { SettlementService } from '../../src/modules/settlement/settlement.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, checker } from './helpers';

/**
 * What happens to money an exited partner still owes (a negative carry-forward left after its final settlement):
 * it is never dropped. Each regular batch carries it again on a line of its own, until finance records how it was
 * settled outside the payouts (recovered by transfer, or written off) as an adjustment of the opposite amount; the
 * next batch then nets it to zero and the debt is closed — by new lines, nothing edited.
 */
describe('settlement: a debt an exited partner still owes', () => {
  let t: TestApp;
  let runs: SettlementRunService;
  let batches: SettlementBatchService;
  let settlement: SettlementService;
  let gone: { id: number; code: string };
  let working: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    runs = t.get(SettlementRunService);
    batches = t.get(SettlementBatchService);
    settlement = t.get(SettlementService);
    gone = await t.createPartner();
    working = await t.createPartner();
    await settlement.addSystemAdjustment(SYSTEM_ACTOR, { partnerId: gone.id, amount: '-1250.40', kind: 'carry_forward', reason: 'left over from the final settlement', reference: 'CARRY-GONE-1' });
    await t.db.query(`UPDATE partner SET status = 'exited' WHERE id = $1`, [gone.id]);
  });
  afterAll(() => t?.close());

  const lineOf = async (batchId: number, partnerId: number) => (await t.db.query(
    `SELECT accrual_count, accrued::text, adjustments::text, total_pay::text, carry_forward::text FROM settlement_line WHERE batch_id = $1 AND partner_id = $2`, [batchId, partnerId]))[0];
  const pendingOf = async (partnerId: number) => (await t.db.query(
    `SELECT coalesce(sum(amount), 0)::text AS owed, count(*)::int AS n FROM settlement_adjustment WHERE partner_id = $1 AND applied_in_batch_id IS NULL`, [partnerId]))[0];

  it('carries the debt on its own line in the next regular batch, pays nothing and carries it again', async () => {
    await importCsv(t, '2027Q1', `${working.code},C1,Dedicated line,2027-01-15,100.00,Q1-W-1\n`);
    fakeScores(t, { '2027Q1': { [working.id]: '95.00' } });
    const q1 = await runs.run(SYSTEM_ACTOR, '2027Q1');
    expect(await lineOf(q1.batchId, gone.id)).toEqual({ accrual_count: 0, accrued: '0.00', adjustments: '-1250.40', total_pay: '0.00', carry_forward: '-1250.40' });
    await batches.approve(await checker(t), q1.batchId, 'ok');
    expect(await pendingOf(gone.id)).toEqual({ owed: '-1250.40', n: 1 });
  });

  it('closes it once finance records the recovery: the following batch nets to zero and carries nothing', async () => {
    await settlement.addAdjustment(SYSTEM_ACTOR, { partnerId: gone.id, amount: '1250.40', kind: 'manual', reason: 'recovered by bank transfer', reference: 'RECOVERED-GONE-1' });
    await importCsv(t, '2027Q2', `${working.code},C1,Dedicated line,2027-04-15,100.00,Q2-W-1\n`);
    fakeScores(t, { '2027Q2': { [working.id]: '95.00' } });
    const q2 = await runs.run(SYSTEM_ACTOR, '2027Q2');
    expect(await lineOf(q2.batchId, gone.id)).toEqual({ accrual_count: 0, accrued: '0.00', adjustments: '0.00', total_pay: '0.00', carry_forward: '0.00' });
    await batches.approve(await checker(t), q2.batchId, 'ok');
    expect(await pendingOf(gone.id)).toEqual({ owed: '0', n: 0 });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM settlement_adjustment WHERE partner_id = $1`, [gone.id]);
    expect(n).toBe(3); // the debt, its carry from 2027Q1, the recovery: history kept, nothing edited
  });
});
