/**
 * Settlement benchmark (not a test): seeds partners and accrual lines on DATABASE_URL (real PostgreSQL), imports the
 * lines through the streaming accrual import, runs the period's batch, and prints the batch time next to a raw
 * `SELECT partner_id, sum(amount) … GROUP BY` over the same rows, and their ratio. Target: ≤ 3× and ≤ 10 s.
 *
 *   npm run build && DATABASE_URL=postgres://… node dist/bench/settlement.bench.js --partners 10000 --lines 1000000
 *
 * Scores: random confirmed Y per partner through the scoring contract's test seam (SettlementCollaborators), so the
 * bench does not depend on the scoring module's data.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createWriteStream, createReadStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { AccrualImportService } from '../../src/modules/settlement/accrual-import.service';
import { SettlementCollaborators } from '../../src/modules/settlement/collaborators';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const partners = arg('partners', 10_000);
  const lineCount = arg('lines', 1_000_000);
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database (the bench writes test data into it)');
  process.env.LOG_LEVEL ??= 'warn';
  process.env.RUN_MIGRATIONS_ON_START ??= 'true';
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(), { logger: ['error', 'warn'] });
  const db = app.get<DataSource>(getDataSourceToken());
  const tag = `B${Date.now().toString(36).toUpperCase()}`;
  const used: { period: string }[] = await db.query(`SELECT DISTINCT period FROM accrual_import`);
  let year = 2040;
  while (used.some((u) => u.period === `${year}Q1`)) year++;
  const period = `${year}Q1`;
  console.log(`bench: ${partners} partners, ${lineCount} lines, period ${period}, on ${(await db.query('SELECT version() v'))[0].v.split(' on ')[0]}`);

  let t = Date.now();
  const ids: { id: number; code: string }[] = await db.query(
    `INSERT INTO partner (code, name, credit_code, cooperation_type, status, contract_signed_on)
     SELECT $1 || '-' || g, 'Bench partner ' || $1 || '-' || g, substr(md5($1 || g), 1, 18), 'sales', 'active', '2030-01-01'
       FROM generate_series(1, $2::int) g RETURNING id, code`, [tag, partners]);
  await db.query(`INSERT INTO partner_status_history (partner_id, to_status, effective_on, reason) SELECT unnest($1::int[]), 'active', '2030-01-01', 'bench'`, [ids.map((p) => p.id)]);
  console.log(`seeded partners in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const file = join(tmpdir(), `settlement-bench-${tag}.csv`);
  const out = createWriteStream(file);
  out.write('partner_code,customer_code,product,accrual_date,amount,reference\n');
  let chunk = '';
  for (let i = 0; i < lineCount; i++) {
    const p = ids[(i * 7919) % ids.length];
    chunk += `${p.code},C${i % 5000},IoT,${year}-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')},${((i * 37) % 100000) / 100 - (i % 50 === 0 ? 900 : 0)},${tag}-${i}\n`;
    if (chunk.length > 1 << 20) { if (!out.write(chunk)) await once(out, 'drain'); chunk = ''; }
  }
  out.end(chunk);
  await once(out, 'finish');

  t = Date.now();
  const imp = await app.get(AccrualImportService).importStream(SYSTEM_ACTOR, period, createReadStream(file), {
    fileName: 'bench.csv', onProgress: (n) => n && n % 200_000 === 0 && console.log(`  import: ${n} lines`),
  });
  rmSync(file, { force: true });
  console.log(`accrual import: ${imp.lineCount} lines in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const scores = new Map(ids.map((p, i) => [p.id, { sheetId: p.id, revision: 1, scoreY: (60 + (i % 4001) / 100).toFixed(2), confirmedAt: new Date() }]));
  const inputs = app.get(SettlementCollaborators);
  inputs.confirmedSheets = async () => scores;
  inputs.penaltyAdjustments = async () => [];

  await db.query('ANALYZE accrual_line');
  t = Date.now();
  await db.query(`SELECT partner_id, sum(amount) FROM accrual_line WHERE period = $1 GROUP BY partner_id`, [period]);
  const rawMs = Date.now() - t;
  t = Date.now();
  const run = await app.get(SettlementRunService).run(SYSTEM_ACTOR, period);
  const batchMs = Date.now() - t;
  console.log(`raw aggregate:  ${(rawMs / 1000).toFixed(2)} s`);
  console.log(`batch (#${run.batchId}, ${run.lineCount} lines, total ${run.totalPay}): ${(batchMs / 1000).toFixed(2)} s`);
  console.log(`ratio batch/raw: ${(batchMs / rawMs).toFixed(2)}× (target ≤ 3× and ≤ 10 s)`);
  await app.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
