import { FAULT_HOLD_MARKER } from '../../src/modules/settlement/fault-hold';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { createTestApp, TestApp, testDatabaseUrl } from '../support/test-app';

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli.js');
const PARTNERS = 2_000;
const LINES = 200_000;
const PERIOD = '2026Q3';
const LINE_COLS = `partner_id, accrual_count, accrued::text, score_y::text, coefficient_p::text, p_override_reason, score_sheet_id, score_sheet_revision, score_note,
  base_pay::text, quality_pay::text, adjustments::text, total_formula::text, total_pay::text, carry_forward::text, formula_version`;

/**
 * A settlement run killed with SIGKILL in the middle of its transaction leaves nothing behind; the rerun gives
 * exactly the result of an uninterrupted run on the same data. Drives the real CLI (dist/src/cli.js, built by pretest).
 */
describe('settlement run killed with SIGKILL midway', () => {
  let t: TestApp;
  let overrideArgs: string[];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx nest build" first (npm test does it in pretest)`);
    t = await createTestApp();
    // 2,000 active partners and 200,000 accrual lines in one import, set-based
    await t.db.query(`
      INSERT INTO partner (code, name, credit_code, cooperation_type, tier, status, region, contract_signed_on, bank_account_no, bank_name, bank_account_name)
      SELECT 'K-' || lpad(g::text, 5, '0'), 'Kill Test Partner ' || g, 'K' || lpad(g::text, 17, '0'), 'sales_and_service', 'B', 'active', 'Guiyang', '2025-01-01',
             '62220200' || lpad(g::text, 8, '0'), 'ICBC', 'Kill Test Partner ' || g
        FROM generate_series(1, ${PARTNERS}) g`);
    await t.db.query(`INSERT INTO partner_status_history (partner_id, from_status, to_status, effective_on, reason)
      SELECT id, NULL, 'active', '2025-01-01', 'fixture' FROM partner WHERE code LIKE 'K-%'`);
    const [imp] = await t.db.query(`INSERT INTO accrual_import (period, file_name, line_count, total_amount) VALUES ($1, 'kill-test.csv', ${LINES}, 0) RETURNING id`, [PERIOD]);
    await t.db.query(`
      INSERT INTO accrual_line (import_id, period, row_no, partner_id, customer_code, product, accrual_date, amount, reference)
      SELECT $1, $2, g + 1, p.id, 'C' || (g % 997), 'IoT', date '2026-07-01' + (g % 90), ((g * 37) % 100000) / 100.0 + 0.01, 'KILL-' || g
        FROM generate_series(1, ${LINES}) g JOIN partner p ON p.code = 'K-' || lpad((1 + g % ${PARTNERS})::text, 5, '0')`, [imp.id, PERIOD]);
    await t.db.query(`UPDATE accrual_import SET total_amount = (SELECT sum(amount) FROM accrual_line WHERE import_id = $1) WHERE id = $1`, [imp.id]);
    // nobody has a confirmed sheet: every partner is settled at P = 1 with a reason (the CLI's --override)
    const codes: { code: string }[] = await t.db.query(`SELECT code FROM partner WHERE code LIKE 'K-%' ORDER BY code`);
    overrideArgs = codes.flatMap((c, i) => ['--override', `${c.code}:kill test ${i % 3 === 0 ? 'no sheet' : 'dispute open'}`]);
    // the CLI names its operator (four eyes, #16)
    await t.createUser('finance', { username: 'kill-operator' });
    overrideArgs.push('--as', 'kill-operator');
  }, 300_000);
  afterAll(() => t?.close());

  const spawnRun = (extraEnv: Record<string, string> = {}): ChildProcess =>
    spawn(process.execPath, [CLI, 'settlement', 'run', '--period', PERIOD, ...overrideArgs], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), NODE_ENV: 'test', LOG_LEVEL: 'warn', RUN_MIGRATIONS_ON_START: 'true', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const finish = (child: ChildProcess) => new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const linesOf = (batchId: number) => t.db.query(`SELECT ${LINE_COLS} FROM settlement_line WHERE batch_id = $1 ORDER BY partner_id`, [batchId]);
  const liveBatches = () => t.db.query(`SELECT id, status, line_count, total_pay::text FROM settlement_batch WHERE period = $1 AND status <> 'cancelled'`, [PERIOD]);

  let reference: Record<string, unknown>[];
  let referenceTotals: { line_count: number; total_pay: string };

  it('an uninterrupted run settles every partner (the reference result)', async () => {
    const r = await finish(spawnRun());
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    // the CLI speaks zh-CN to the operator by default
    const m = /结算批次 #(\d+) 已创建：(\d+) 个合作伙伴，实得酬金合计 ([\d.]+)，用时 ([\d.]+) 秒/.exec(r.stdout);
    expect(m).not.toBeNull();
    const [batch] = await liveBatches();
    reference = await linesOf(batch.id);
    referenceTotals = { line_count: batch.line_count, total_pay: batch.total_pay };
    expect(reference).toHaveLength(PARTNERS);
    expect(batch.line_count).toBe(PARTNERS);
    // release the period so the same data can be run again
    await t.get(SettlementBatchService).cancel(SYSTEM_ACTOR, batch.id, 'reference run for the kill test');
    expect(await liveBatches()).toEqual([]);
  }, 300_000);

  it('a run killed with SIGKILL inside its transaction leaves no batch, no claim and no line', async () => {
    const linesBefore = (await t.db.query(`SELECT count(*)::int AS n FROM settlement_line`))[0].n;
    // the run announces (fault-injection point) that its lines are written and holds the transaction open: kill it there
    const child = spawnRun({ PORTAL_FAULT_HOLD_MS: '60000' });
    const done = finish(child);
    const sawTransaction = await new Promise<boolean>((resolve) => {
      let seen = '';
      child.stdout!.on('data', (d) => { seen += d; if (seen.includes(FAULT_HOLD_MARKER)) resolve(true); });
      child.on('exit', () => resolve(false));
    });
    child.kill('SIGKILL');
    const r = await done;
    expect(sawTransaction).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).not.toMatch(/结算批次 #\d+ 已创建|Batch #\d+ created/);
    // the database notices the dead client; nothing of the run remains
    let live: unknown[] = [{}];
    for (let i = 0; i < 50 && live.length; i++) {
      live = await liveBatches();
      if (live.length) await new Promise((res) => setTimeout(res, 100));
    }
    expect(live).toEqual([]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_line`))[0].n).toBe(linesBefore);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_batch_import bi JOIN settlement_batch b ON b.id = bi.batch_id WHERE b.status <> 'cancelled'`))[0].n).toBe(0);
  }, 300_000);

  it('the rerun gives exactly the uninterrupted result, column by column', async () => {
    const r = await finish(spawnRun());
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const [batch] = await liveBatches();
    expect({ line_count: batch.line_count, total_pay: batch.total_pay }).toEqual(referenceTotals);
    const rerun = await linesOf(batch.id);
    expect(rerun).toHaveLength(reference.length);
    const diffs = rerun.flatMap((row: Record<string, unknown>, i: number) => Object.keys(row).filter((k) => row[k] !== reference[i][k]).map((k) => `${row.partner_id}.${k}: ${reference[i][k]} → ${row[k]}`));
    expect(diffs.slice(0, 20)).toEqual([]);
  }, 300_000);
});
