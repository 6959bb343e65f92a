import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { SettlementService } from '../../src/modules/settlement/settlement.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines } from '../settlement/helpers';

/** Exit money (#16): the final settlement pays each period's accruals at that period's confirmed Y, never P = 1 by default. */
describe('money controls: final (exit) settlement', () => {
  let t: TestApp;
  let settlement: SettlementService;

  beforeAll(async () => { t = await createTestApp(); settlement = t.get(SettlementService); });
  afterAll(() => t?.close());

  const final = (partnerId: number, scoreY?: string) => settlement.runFinalSettlement(SYSTEM_ACTOR, partnerId, { exitDate: '2026-11-20', reason: '合作退出', ...(scoreY ? { scoreY } : {}) });
  const lineOf = async (batchId: number) => (await t.db.query(
    `SELECT accrued::text, score_y::text, base_pay::text, quality_pay::text, total_formula::text, total_pay::text, p_override_reason, score_note FROM settlement_line WHERE batch_id = $1`, [batchId]))[0];

  it('refuses when a period with accruals has no confirmed score and no Y was given (no P = 1 by default)', async () => {
    const p = await t.createPartner();
    fakeScores(t, { '2026Q3': { [p.id]: '81.00' } });
    await importCsv(t, '2026Q3', lines(p.code, ['900.00'], '2026-08-10'));
    await importCsv(t, '2026Q4', lines(p.code, ['900.00'], '2026-10-10'));
    const err = await final(p.id).catch((e) => e);
    expect(err).toMatchObject({ message: 'money:exit.unscoredPeriods', params: { periods: '2026Q4' } });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_batch WHERE kind = 'final'`))[0].n).toBe(0);
  });

  it('uses each period\'s own confirmed Y, and the given Y only for the unscored period', async () => {
    const p = await t.createPartner();
    fakeScores(t, { '2026Q2': { [p.id]: '81.00' }, '2026Q3': { [p.id]: '95.00' } });
    await importCsv(t, '2026Q2', lines(p.code, ['900.00'], '2026-05-10'));
    await importCsv(t, '2026Q3', lines(p.code, ['900.00'], '2026-08-10'));
    await importCsv(t, '2026Q4', lines(p.code, ['900.00'], '2026-10-10'));
    const batchId = await final(p.id, '72.00');
    // Q2: 900 × (810 + 81) / 900 = 891.00; Q3: Y 95 → 900.00; Q4 (given Y 72): 900 × 882 / 900 = 882.00
    expect(await lineOf(batchId)).toMatchObject({ accrued: '2700.00', score_y: null, base_pay: '2430.00', total_formula: '2673.00', total_pay: '2673.00', p_override_reason: '合作退出' });
    const { score_note } = await lineOf(batchId);
    expect(score_note).toMatch(/2026Q2：应计 900.00，Y 81.00（第 1 版评分表）；2026Q3：应计 900.00，Y 95.00（第 1 版评分表）；2026Q4：应计 900.00，Y 72.00（退出时指定：合作退出）/);
  });

  it('an exited partner\'s final statement says the debt is still owed, not that a next batch will net it', async () => {
    const p = await t.createPartner();
    fakeScores(t, { '2026Q1': { [p.id]: '95.00' } });
    await importCsv(t, '2026Q1', lines(p.code, ['100.00'], '2026-02-10'));
    await settlement.addAdjustment(SYSTEM_ACTOR, { partnerId: p.id, amount: '-600.00', kind: 'manual', reason: '违约扣款', reference: 'EXIT-DEBT-1' });
    const batchId = await settlement.runFinalSettlement(SYSTEM_ACTOR, p.id, { exitDate: '2026-03-31', reason: '合作退出' });
    expect(await lineOf(batchId)).toMatchObject({ total_pay: '0.00' });
    await t.db.query(`UPDATE partner SET status = 'exited' WHERE id = $1`, [p.id]);
    const page = await (await t.loginAs('finance')).get(`/settlement/statements/${p.id}/2026Q1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="debt-left"');
    const [{ debt }] = await t.db.query(`SELECT (-l.carry_forward)::text AS debt FROM settlement_line l WHERE l.batch_id = $1`, [batchId]);
    expect(Number(debt)).toBeGreaterThan(0);
    // the debt is named by its size, without a minus sign ("this ¥500.00 debt")
    expect(page.text).toContain(tDeep('en', 'money:statement.debtLeftNote', { amount: `¥${Number(debt).toFixed(2)}` }));
    expect(page.text).toContain(tDeep('en', 'money:statement.debtLeft'));
    expect(page.text).not.toContain(tDeep('en', 'settlement:statement.carried'));
  });
});
