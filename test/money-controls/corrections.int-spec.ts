import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines, checker } from '../settlement/helpers';

/** Corrections reach pay (#16): a revision confirmed after the quarter was settled; a recompute keeps its P = 1 overrides. */
describe('money controls: score corrections and overrides', () => {
  let t: TestApp;
  let runs: SettlementRunService;
  let batches: SettlementBatchService;
  let a: { id: number; code: string }, b: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    runs = t.get(SettlementRunService);
    batches = t.get(SettlementBatchService);
    a = await t.createPartner();
    b = await t.createPartner();
  });
  afterAll(() => t?.close());

  it('a recompute keeps the draft\'s P = 1 overrides (the page\'s recompute button sends none)', async () => {
    fakeScores(t, { '2026Q1': { [a.id]: '80.00' } });
    await importCsv(t, '2026Q1', lines(a.code, ['900.00'], '2026-02-01') + lines(b.code, ['100.00'], '2026-02-01'));
    const first = await runs.run(SYSTEM_ACTOR, '2026Q1', { overrides: { [b.id]: '评分表申诉中' } });
    const again = await runs.run(SYSTEM_ACTOR, '2026Q1');
    expect(again).toMatchObject({ batchId: first.batchId, created: false, totalPay: first.totalPay });
    const [line] = await t.db.query(`SELECT p_override_reason FROM settlement_line WHERE batch_id = $1 AND partner_id = $2`, [first.batchId, b.id]);
    expect(line.p_override_reason).toBe('评分表申诉中');
    await batches.approve(await checker(t), first.batchId, 'ok');
  });

  it('a revision confirmed after settlement pays the difference in a score-correction (supplementary) run, with both Y in the snapshot', async () => {
    // paid: a 900.00 at Y 80 -> 900 × 890 / 900 = 890.00; b 100.00 at P = 1 -> 100.00
    fakeScores(t, { '2026Q1': { [a.id]: '95.00', [b.id]: '72.00' } }, 2);
    const r = await runs.run(SYSTEM_ACTOR, '2026Q1', { supplementary: true });
    const got = await t.db.query(`SELECT partner_id, accrued::text, score_y::text, score_sheet_revision, adjustments::text, total_pay::text, carry_forward::text, score_note FROM settlement_line WHERE batch_id = $1 ORDER BY partner_id`, [r.batchId]);
    expect(got).toEqual([
      expect.objectContaining({ partner_id: a.id, accrued: '0.00', score_y: '95.00', score_sheet_revision: 2, adjustments: '10.00', total_pay: '10.00' }),
      // P = 1 was paid; Y 72 gives 100 × 882 / 900 = 98.00: 2.00 to recover, carried forward
      expect.objectContaining({ partner_id: b.id, accrued: '0.00', score_y: '72.00', adjustments: '-2.00', total_pay: '0.00', carry_forward: '-2.00' }),
    ]);
    expect(got[0].score_note).toMatch(/已结算按 Y 80.00（第 1 版）.*已付计算结果 890.00.*第 2 版 Y 95.00 计算结果 900.00；差额 10.00/);
    expect(got[1].score_note).toMatch(/已结算按 Y （P = 1）/);

    // recomputing does not double it; cancelling removes it (it is not left for the next regular batch)
    await runs.run(SYSTEM_ACTOR, '2026Q1', { supplementary: true });
    const corr = () => t.db.query(`SELECT amount::text, applied_in_batch_id FROM settlement_adjustment WHERE kind = 'score_correction' ORDER BY partner_id`);
    expect(await corr()).toEqual([{ amount: '10.00', applied_in_batch_id: r.batchId }, { amount: '-2.00', applied_in_batch_id: r.batchId }]);
    await batches.cancel(SYSTEM_ACTOR, r.batchId, '重新核对');
    expect(await corr()).toEqual([]);

    // approved once, a further run finds nothing more to correct
    const again = await runs.run(SYSTEM_ACTOR, '2026Q1', { supplementary: true });
    await batches.approve(await checker(t), again.batchId, 'ok');
    const refused = await runs.run(SYSTEM_ACTOR, '2026Q1', { supplementary: true }).catch((e) => e);
    expect(refused.message).toBe('settlement:errors.nothingSupplementary');
  });
});
