/**
 * Settlement benchmark (not a test): seeds partners and accrual lines on DATABASE_URL (real PostgreSQL), imports the
 * lines through the streaming accrual import, runs the period's batch, and prints each next to its floor measured in
 * the same run: the import next to a raw `COPY` of the same file into a table with the same indexes (target ≤ 2×),
 * the batch next to a raw `SELECT partner_id, sum(amount) … GROUP BY` over the same rows (target ≤ 3× and ≤ 10 s).
 *
 *   npm run build && DATABASE_URL=postgres://… node dist/test/bench/settlement.bench.js --partners 10000 --lines 1000000
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
import { pipeline } from 'node:stream/promises';
import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { AccrualImportService } from '../../src/modules/settlement/accrual-import.service';
import { SettlementCollaborators } from '../../src/modules/settlement/collaborators';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { AccrualsApiService } from '../../src/modules/integrations/accruals-api.service';
import { ServiceAccountsService } from '../../src/modules/integrations/service-accounts.service';

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

  // floor: a raw COPY of the same file into a table with accrual_line's indexes (codes where the real table has ids)
  const copyMs = await rawCopy(db, file, period, false);
  // and with per-row foreign keys (partner, import): what the statement-level reference check of accrual_line saves
  const copyFkMs = await rawCopy(db, file, period, true);

  t = Date.now();
  const imp = await app.get(AccrualImportService).importStream(SYSTEM_ACTOR, period, createReadStream(file), {
    fileName: 'bench.csv', onProgress: (n) => n && n % 200_000 === 0 && console.log(`  import: ${n} lines`),
  });
  const importMs = Date.now() - t;
  rmSync(file, { force: true });
  console.log(`accrual import: ${imp.lineCount} lines in ${(importMs / 1000).toFixed(1)} s`);
  console.log(`raw COPY of the same file into a table with the same indexes: ${(copyMs / 1000).toFixed(1)} s`);
  console.log(`raw COPY into a table with the same indexes and per-row foreign keys (accrual_line checks its references per statement instead): ${(copyFkMs / 1000).toFixed(1)} s`);
  console.log(`ratio import/raw COPY: ${(importMs / copyMs).toFixed(2)}× (target ≤ 2×); import/raw COPY with foreign keys: ${(importMs / copyFkMs).toFixed(2)}×`);
  if (!process.argv.includes('--no-api')) await apiPath(app, ids, tag, year, lineCount, importMs);

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
  const met = importMs / copyMs <= 2 && batchMs / rawMs <= 3 && batchMs <= 10_000;
  console.log(met ? 'targets met' : 'target NOT met');
  process.exitCode = met ? 0 : 2;
  await app.close();
}

/** COPY of the accrual file into a fresh table with accrual_line's columns and indexes (and its foreign keys, codes for
 *  ids, when asked); returns milliseconds. */
async function rawCopy(db: DataSource, file: string, period: string, withForeignKeys: boolean): Promise<number> {
  const qr = db.createQueryRunner();
  const client = (await qr.connect()) as PoolClient;
  try {
    await client.query(`DROP TABLE IF EXISTS bench_raw_accrual`);
    await client.query(`CREATE TABLE bench_raw_accrual (
      id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, import_id integer NOT NULL DEFAULT 0, period varchar(6) NOT NULL DEFAULT '${period}',
      row_no integer NOT NULL DEFAULT 0, partner_code varchar(64) NOT NULL, customer_code varchar(64) NOT NULL, product varchar(120) NOT NULL,
      accrual_date date NOT NULL, amount numeric(14,2) NOT NULL, reference varchar(120) NOT NULL)`);
    if (withForeignKeys) {
      const [{ id }] = (await client.query(`INSERT INTO accrual_import (period, file_name, line_count, total_amount) VALUES ($1, 'bench floor', 0, 0) RETURNING id`, [period])).rows;
      await client.query(`ALTER TABLE bench_raw_accrual ALTER COLUMN import_id SET DEFAULT ${Number(id)}`);
      await client.query(`ALTER TABLE bench_raw_accrual ADD FOREIGN KEY (import_id) REFERENCES accrual_import(id), ADD FOREIGN KEY (partner_code) REFERENCES partner(code)`);
    }
    await client.query(`CREATE UNIQUE INDEX ON bench_raw_accrual (reference)`);
    await client.query(`CREATE INDEX ON bench_raw_accrual (import_id, partner_code)`);
    await client.query(`CREATE INDEX ON bench_raw_accrual (partner_code, period)`);
    await client.query(`CREATE INDEX ON bench_raw_accrual (period, partner_code, product) INCLUDE (amount, import_id)`);
    const t = Date.now();
    await pipeline(createReadStream(file), client.query(copyFrom(`COPY bench_raw_accrual (partner_code, customer_code, product, accrual_date, amount, reference) FROM STDIN (FORMAT csv, HEADER true)`)));
    const ms = Date.now() - t;
    await client.query(`DROP TABLE bench_raw_accrual`);
    return ms;
  } finally {
    await qr.release();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });

/**
 * The machine API's path (#19): the same number of lines as NDJSON (next quarter, own references) through
 * POST /api/v1/accruals' service — conversion to CSV, idempotency claim and the import in one transaction (batched
 * INSERTs into staging there, not COPY) — next to the CLI import measured above.
 */
async function apiPath(app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>, ids: { code: string }[], tag: string, year: number, lineCount: number, cliMs: number): Promise<void> {
  const file = join(tmpdir(), `settlement-bench-${tag}.ndjson`);
  const out = createWriteStream(file);
  let chunk = '';
  for (let i = 0; i < lineCount; i++) {
    const p = ids[(i * 7919) % ids.length];
    chunk += `{"partner_code":"${p.code}","customer_code":"C${i % 5000}","product":"IoT","accrual_date":"${year}-0${4 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}","amount":"${((i * 37) % 100000) / 100}","reference":"${tag}-api-${i}"}\n`;
    if (chunk.length > 1 << 20) { if (!out.write(chunk)) await once(out, 'drain'); chunk = ''; }
  }
  out.end(chunk);
  await once(out, 'finish');
  const account = await app.get(ServiceAccountsService).create(SYSTEM_ACTOR, { name: `bench-${tag}`, owner: 'bench', purpose: 'bench' });
  const principal = { accountId: account.id, accountName: account.name, tokenId: 0, scopes: ['accruals:write' as const], ratePerMinute: 1 };
  const t = Date.now();
  // a known small length takes the synchronous path: the request's own transaction, no job queue in between
  const r = await app.get(AccrualsApiService).submit(principal, `bench-${tag}`, `${year}Q2`, createReadStream(file), 'ndjson', 1, false);
  const apiMs = Date.now() - t;
  rmSync(file, { force: true });
  console.log(`accrual API (NDJSON, idempotent, one transaction): ${(r.body as { lineCount: number }).lineCount} lines in ${(apiMs / 1000).toFixed(1)} s; API/CLI import: ${(apiMs / cliMs).toFixed(2)}×`);
}
