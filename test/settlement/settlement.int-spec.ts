import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { CsvImportError, CsvRowError } from '../../src/core/csv/csv.util';
import { tDeep } from '../../src/core/i18n/i18n';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { SettlementService } from '../../src/modules/settlement/settlement.service';
import { createTestApp, onRealPostgres, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines, payWithoutInvoices, checker } from './helpers';

/** row errors as an English reader sees them (messages are catalogue keys with params) */
const inEnglish = (errors: CsvRowError[]) => errors.map((e) => ({ ...e, message: tDeep('en', e.message, e.params) }));

const LINE_COLS = 'partner_id, accrual_count, accrued, score_y, coefficient_p, p_override_reason, score_sheet_id, score_sheet_revision, base_pay, quality_pay, adjustments, total_formula, total_pay, carry_forward, formula_version';

describe('settlement: imports, batches, approval, supplementary, carry-forward', () => {
  let t: TestApp;
  let runs: SettlementRunService;
  let batches: SettlementBatchService;
  let a: { id: number; code: string }, b: { id: number; code: string }, c: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    runs = t.get(SettlementRunService);
    batches = t.get(SettlementBatchService);
    a = await t.createPartner();
    b = await t.createPartner();
    c = await t.createPartner();
  });
  afterAll(() => t?.close());

  const linesOf = (batchId: number) => t.db.query(`SELECT ${LINE_COLS} FROM settlement_line WHERE batch_id = $1 ORDER BY partner_id`, [batchId]);

  it('refuses a file with bad rows, names row and column, and imports nothing', async () => {
    const body = lines(a.code, ['100.00']) + 'NOPE,C,p,2026-07-01,1.00,R-X1\n' + lines(a.code, ['1.234']) + lines(a.code, ['5.00'], '2026-10-01');
    const err = await importCsv(t, '2026Q3', body).catch((e) => e);
    expect(err).toBeInstanceOf(CsvImportError);
    const rows = (err as CsvImportError).errors.map((e) => `${e.row}:${e.column}`);
    expect(rows).toEqual(expect.arrayContaining(['3:partner_code', '4:amount', '5:accrual_date']));
    expect(inEnglish((err as CsvImportError).errors).find((e) => e.row === 3)!.message).toMatch(/unknown partner "NOPE"/);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM accrual_line`);
    expect(n).toBe(0);
  });

  it('flags a partner not active on the accrual date and duplicate references in the file', async () => {
    const late = await t.createPartner();
    await t.db.query(`UPDATE partner_status_history SET effective_on = '2026-08-01' WHERE partner_id = $1`, [late.id]);
    const body = `${late.code},C,p,2026-07-15,10.00,R-LATE-1\n${a.code},C,p,2026-07-15,10.00,R-DUP\n${a.code},C,p,2026-07-16,11.00,R-DUP\n`;
    const err = (await importCsv(t, '2026Q3', body).catch((e) => e)) as CsvImportError;
    expect(inEnglish(err.errors)).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 2, column: 'accrual_date', message: expect.stringMatching(/not active on 2026-07-15/) }),
      expect.objectContaining({ row: 4, column: 'reference', message: expect.stringMatching(/duplicate reference "R-DUP" \(also on row 3\)/) }),
    ]));
  });

  it('imports, then refuses the same file again naming the duplicate references', async () => {
    const body = `${a.code},C1,Dedicated line,2026-07-01,1000.00,Q3-A-1\n${a.code},C2,IoT,2026-08-01,-100.00,Q3-A-2\n${b.code},C1,IoT,2026-09-30,2000.00,Q3-B-1\n${c.code},C9,IoT,2026-07-02,50.00,Q3-C-1\n`;
    const r = await importCsv(t, '2026Q3', body);
    expect(r).toMatchObject({ lineCount: 4, total: '2950.00' });
    const again = (await importCsv(t, '2026Q3', body).catch((e) => e)) as CsvImportError;
    expect(again).toBeInstanceOf(CsvImportError);
    expect(inEnglish(again.errors)[0].message).toMatch(/4 reference\(s\) were already imported.*Q3-A-1, Q3-A-2, Q3-B-1, Q3-C-1/);
    expect(tDeep('zh-CN', again.errors[0].message, again.errors[0].params)).toMatch(/^4 个参考号已导入过/);
  });

  it('blocks a run while partners with accruals have no confirmed sheet, listing them', async () => {
    fakeScores(t, { '2026Q3': { [a.id]: '89.99', [b.id]: '95.00' } });
    const refused = await runs.run(SYSTEM_ACTOR, '2026Q3').catch((e) => e);
    expect(tDeep('en', refused.message, refused.params)).toMatch(new RegExp(`1 partner\\(s\\) have accruals in 2026Q3 but no confirmed score sheet: ${c.code}`));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM settlement_batch`);
    expect(n).toBe(0);
  });

  it('computes the draft with the formula, P = 1 override recorded, pending adjustments applied', async () => {
    await t.get(SettlementService).addAdjustment(SYSTEM_ACTOR, { partnerId: b.id, amount: '-300.00', kind: 'manual', reason: 'late report', reference: 'ADJ-B-1' });
    const r = await runs.run(SYSTEM_ACTOR, '2026Q3', { overrides: { [c.id]: 'sheet still in dispute' } });
    expect(r.created).toBe(true);
    const rows = await linesOf(r.batchId);
    expect(rows.map((l: Record<string, unknown>) => [l.partner_id, l.accrued, l.score_y, l.base_pay, l.quality_pay, l.adjustments, l.total_pay])).toEqual([
      [a.id, '900.00', '89.99', '810.00', '89.99', '0.00', '899.99'],
      [b.id, '2000.00', '95.00', '1800.00', '200.00', '-300.00', '1700.00'],
      [c.id, '50.00', null, '45.00', '5.00', '0.00', '50.00'],
    ]);
    expect(rows[2].p_override_reason).toBe('sheet still in dispute');
    expect(rows[0].coefficient_p).toBe('0.999888888889');
    expect(rows[0].score_sheet_revision).toBe(1);
  });

  it('recomputes a draft byte-identically and keeps one batch', async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM settlement_batch WHERE period = '2026Q3'`);
    const before = await linesOf(id);
    const r = await runs.run(SYSTEM_ACTOR, '2026Q3', { overrides: { [c.id]: 'sheet still in dispute' } });
    expect(r).toMatchObject({ batchId: id, created: false });
    expect(await linesOf(id)).toEqual(before);
  });

  it('a run that fails midway leaves nothing behind (same transaction)', async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM settlement_batch WHERE period = '2026Q3'`);
    const before = await linesOf(id);
    const p = await t.createPartner();
    fakeScores(t, { '2026Q3': { [a.id]: '89.99', [b.id]: '95.00', [p.id]: '80.00' }, '2026Q4': { [a.id]: '90' } });
    await importCsv(t, '2026Q4', lines(a.code, ['10.00'], '2026-10-05'));
    runs.afterLinesInserted = async (m) => {
      if (onRealPostgres()) {
        // kill the run's own database session mid-way, as a crash would
        const [{ pid }] = await m.query('SELECT pg_backend_pid() AS pid');
        await t.db.query('SELECT pg_terminate_backend($1)', [pid]);
      }
      throw new Error('killed mid-run');
    };
    try {
      await expect(runs.run(SYSTEM_ACTOR, '2026Q4')).rejects.toThrow();
    } finally {
      runs.afterLinesInserted = null;
    }
    // the pool may still hand out the killed connection once
    for (let i = 0; i < 3; i++) if (await t.db.query('SELECT 1').then(() => true, () => false)) break;
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_batch WHERE period = '2026Q4'`))[0].n).toBe(0);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_batch_import bi JOIN accrual_import i ON i.id = bi.import_id WHERE i.period = '2026Q4'`))[0].n).toBe(0);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_adjustment WHERE applied_in_batch_id IS NOT NULL AND applied_in_batch_id <> $1`, [id]))[0].n).toBe(0);
    expect(await linesOf(id)).toEqual(before);
  });

  it('two concurrent runs of a period leave exactly one batch; the loser gets a clear 409 or waits and recomputes', async () => {
    const results = await Promise.allSettled([runs.run(SYSTEM_ACTOR, '2026Q4'), runs.run(SYSTEM_ACTOR, '2026Q4')]);
    for (const r of results) if (r.status === 'rejected') expect(r.reason.message).toMatch(/settlement:errors.runInProgress|Already exists/);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_batch WHERE period = '2026Q4' AND status <> 'cancelled'`))[0].n).toBe(1);
  });

  it('cancelling a draft releases its imports and adjustments, so the period runs again', async () => {
    const [draft] = await t.db.query(`SELECT id FROM settlement_batch WHERE period = '2026Q4'`);
    await batches.cancel(SYSTEM_ACTOR, draft.id, 'wrong file');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_batch_import WHERE batch_id = $1`, [draft.id]))[0].n).toBe(0);
    const again = await runs.run(SYSTEM_ACTOR, '2026Q4');
    expect(again.batchId).not.toBe(draft.id);
    expect(again.lineCount).toBe(1);
    await batches.cancel(SYSTEM_ACTOR, again.batchId, 'not yet');
  });

  it('two simultaneous approvals: exactly one wins, the other gets 409; the approved batch refuses recompute', async () => {
    const [{ id, version }] = await t.db.query(`SELECT id, version FROM settlement_batch WHERE period = '2026Q3'`);
    const results = await Promise.allSettled([batches.approve(await checker(t), id, 'ok by one', version), batches.approve(await checker(t), id, 'ok by two', version)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.getStatus()).toBe(409);
    const refused = await runs.run(SYSTEM_ACTOR, '2026Q3').catch((e) => e);
    expect(tDeep('en', refused.message, refused.params)).toMatch(/is approved; an approved batch cannot be recomputed.*supplementary/);
    expect(tDeep('zh-CN', refused.message, refused.params)).toMatch(/当前为已审批，已审批的批次不能重新计算/);
  });

  it('settles late accruals in a supplementary batch with the newly confirmed Y and pays the difference on what was settled (#16)', async () => {
    await importCsv(t, '2026Q3', `${a.code},C1,Dedicated line,2026-09-01,200.00,Q3-A-LATE\n`);
    fakeScores(t, { '2026Q3': { [a.id]: '92.00', [b.id]: '95.00' }, '2026Q4': { [a.id]: '90' } }, 2);
    const r = await runs.run(SYSTEM_ACTOR, '2026Q3', { supplementary: true });
    const [line] = await linesOf(r.batchId);
    // the late 200.00 at Y 92 (P = 1) plus the settled 900.00: formula(900, 92) 900.00 − paid 899.99 = 0.01
    expect(line).toMatchObject({ partner_id: a.id, accrued: '200.00', score_y: '92.00', adjustments: '0.01', total_pay: '200.01', score_sheet_revision: 2 });
    const [{ score_note }] = await t.db.query(`SELECT score_note FROM settlement_line WHERE batch_id = $1`, [r.batchId]);
    expect(score_note).toMatch(/已结算按 Y 89.99（第 1 版）.*已付计算结果 899.99.*现按第 2 版 Y 92.00 计算结果 900.00；差额 0.01/);
    // the delta compares with what was already paid for 2026Q3, not with the previous quarter
    const p = await batches.preview(r.batchId);
    expect(p.previousPeriod).toBe('2026Q3');
    expect(p.lines[0]).toMatchObject({ previous_total_pay: '899.99', delta: '-699.98' });
  });

  it('carries a negative total forward into the partner next batch, linked to its source', async () => {
    await t.get(SettlementService).addAdjustment(SYSTEM_ACTOR, { partnerId: a.id, amount: '-500.00', kind: 'clawback', reason: 'reversed Q2 deal', reference: 'CLAW-A-1' });
    const [supp] = await t.db.query(`SELECT id, version FROM settlement_batch WHERE period = '2026Q3' AND kind = 'supplementary'`);
    const recomputed = await runs.run(SYSTEM_ACTOR, '2026Q3', { supplementary: true });
    expect(recomputed.batchId).toBe(supp.id);
    const [line] = await linesOf(supp.id);
    expect(line).toMatchObject({ total_formula: '200.00', adjustments: '-499.99', total_pay: '0.00', carry_forward: '-299.99' });
    await batches.approve(await checker(t), supp.id, 'ok');
    const [carry] = await t.db.query(`SELECT amount::text, kind, source_batch_id, applied_in_batch_id FROM settlement_adjustment WHERE reference = $1`, [`carry:${supp.id}:${a.id}`]);
    expect(carry).toEqual({ amount: '-299.99', kind: 'carry_forward', source_batch_id: supp.id, applied_in_batch_id: null });
    const q4 = await runs.run(SYSTEM_ACTOR, '2026Q4');
    const [q4line] = await linesOf(q4.batchId);
    expect(q4line).toMatchObject({ partner_id: a.id, accrued: '10.00', adjustments: '-299.99', total_pay: '0.00', carry_forward: '-289.99' });
  });

  it('exports the payout file with control totals and moves the batch to exported', async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM settlement_batch WHERE period = '2026Q3' AND kind = 'regular'`);
    const out = await batches.export(SYSTEM_ACTOR, id);
    const rows = out.csv.trim().split('\n');
    expect(rows[0]).toBe('partner_code,partner_name,bank_name,account_holder,bank_account,accrued,score_y,coefficient_p,base_pay,quality_pay,adjustments,total_pay');
    expect(rows).toHaveLength(4);
    expect(out.csv).toContain(`${a.code},`);
    expect(out.csv).toMatch(/,900\.00,89\.99,0\.999889,810\.00,89\.99,0\.00,899\.99/);
    expect(out.control).toBe(`\uFEFFbatch_id,period,line_count,sum_total_pay\n${id},2026Q3,3,2649.99\n`);
    expect((await batches.get(id)).status).toBe('exported');
    await expect(runs.run(SYSTEM_ACTOR, '2026Q3')).rejects.toMatchObject({ message: 'settlement:errors.cannotRecompute', params: expect.objectContaining({ status: 'settlement:batchStatus.exported' }) });
  });

  it('marks paid from a payment confirmation that matches every line', async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM settlement_batch WHERE period = '2026Q3' AND kind = 'regular'`);
    const bad = `batch_id,partner_code,paid_amount,paid_on,payment_reference\n${id},${a.code},899.98,2026-10-20,B-1\n`;
    await payWithoutInvoices(t, id);
    const err = (await batches.importPaymentConfirmation(SYSTEM_ACTOR, bad).catch((e) => e)) as CsvImportError;
    expect(inEnglish(err.errors).map((e) => e.message).join('\n')).toMatch(/does not match the line's total_pay 899.99[\s\S]*no payment for partner/);
    const good = `batch_id,partner_code,paid_amount,paid_on,payment_reference\n${id},${a.code},899.99,2026-10-20,B-1\n${id},${b.code},1700.00,2026-10-20,B-2\n${id},${c.code},50.00,2026-10-20,B-3\n`;
    await batches.importPaymentConfirmation(SYSTEM_ACTOR, good);
    expect((await batches.get(id)).status).toBe('paid');
  });
});
