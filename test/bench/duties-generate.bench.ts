/**
 * Benchmark: quarterly checklist generation for N customers (default 200,000) on DATABASE_URL.
 *   npm run build && DATABASE_URL=postgres://… node dist/bench/duties-generate.bench.js [N]
 * Seeds N bench customers (codes BENCH-…, kept for re-runs) held by one bench partner, then times on period 2099Q1:
 *   1. a raw INSERT … SELECT of the same rows (no conflict handling) — the floor;
 *   2. the real generation (INSERT … SELECT … ON CONFLICT DO NOTHING, as DutiesService.generate runs it);
 *   3. a second generation run (idempotent: inserts nothing).
 * Prints the times and the ratio; removes the bench period's items afterwards.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../../src/core/database/typeorm-options';
import { CHECKLIST_COLUMNS, CHECKLIST_SELECT, GENERATE_CHECKLIST_SQL } from '../../src/modules/duties/checklist-sql';

const PERIOD = { code: '2099Q1', start: '2099-01-01', end: '2099-03-31' };

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(8)} ms`);
  return { ms, value };
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to the PostgreSQL database to benchmark (it is migrated and bench rows are added)');
  const n = Number(process.argv[2] ?? 200_000);
  if (!Number.isInteger(n) || n < 1) throw new Error(`"${process.argv[2]}" is not a customer count`);

  const ds = new DataSource(typeOrmOptions(url, 2));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();

  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const [partner] = (await db.query(
      `INSERT INTO partner (code, name, credit_code, cooperation_type, tier, status, region)
       VALUES ('BENCH-P', 'Bench partner', '915201009999999990', 'service', 'B', 'active', '贵阳市')
       ON CONFLICT (code) DO UPDATE SET status = 'active' RETURNING id`)).rows;
    const { rows: [{ have }] } = await db.query(`SELECT count(*)::int AS have FROM customer WHERE code LIKE 'BENCH-%'`);
    if (have < n) {
      await timed(`seed ${n - have} customers + assignments`, async () => {
        await db.query('BEGIN');
        await db.query(
          `INSERT INTO customer (code, name, industry, region, customer_class, stage)
           SELECT 'BENCH-' || i, 'Bench customer ' || i, 'bench', (ARRAY['贵阳市','遵义市','安顺市','六盘水市','毕节市','铜仁市','黔东南州','黔南州','黔西南州'])[1 + i % 9],
                  (ARRAY['A','B','C'])[1 + i % 3], (ARRAY['acquisition','development','maturity','decline','churn'])[1 + i % 5]
             FROM generate_series($1::int + 1, $2::int) AS i`, [have, n]);
        await db.query(
          `INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason)
           SELECT c.id, $1, '2020-01-01', 'bench' FROM customer c
            WHERE c.code LIKE 'BENCH-%' AND NOT EXISTS (SELECT 1 FROM customer_assignment a WHERE a.customer_id = c.id)`, [partner.id]);
        await db.query('COMMIT');
      });
      await db.query('ANALYZE customer; ANALYZE customer_assignment');
    }
    const { rows: [{ total }] } = await db.query(`SELECT count(*)::int AS total FROM customer`);
    console.log(`customers in the database: ${total} (bench: ${Math.max(have, n)})`);
    const params = [PERIOD.code, PERIOD.start, PERIOD.end, PERIOD.start];
    // VACUUM after each clear: otherwise the later run inserts among the earlier run's dead rows and index entries
    const clear = async () => {
      await db.query(`DELETE FROM checklist_item WHERE period = $1`, [PERIOD.code]);
      await db.query(`VACUUM ANALYZE checklist_item`);
    };

    await clear();
    const raw = await timed('raw INSERT … SELECT (no conflict handling)', async () => {
      await db.query('BEGIN');
      const r = await db.query(`INSERT INTO checklist_item (${CHECKLIST_COLUMNS}) ${CHECKLIST_SELECT}`, params);
      await db.query('COMMIT');
      return r.rowCount ?? 0;
    });
    await clear();
    const gen = await timed('generation (ON CONFLICT DO NOTHING)', async () => {
      await db.query('BEGIN');
      const r = await db.query(GENERATE_CHECKLIST_SQL, params);
      await db.query('COMMIT');
      return r.rowCount ?? 0;
    });
    const again = await timed('generation again (idempotent re-run)', async () => (await db.query(GENERATE_CHECKLIST_SQL, params)).rowCount ?? 0);
    await clear();

    console.log(`rows: raw ${raw.value}, generation ${gen.value}, re-run ${again.value} (expected 0)`);
    console.log(`ratio generation / raw: ${(gen.ms / raw.ms).toFixed(2)}  (${(gen.value / (gen.ms / 1000)).toFixed(0)} items/s)`);
    if (raw.value !== gen.value || again.value !== 0) process.exitCode = 1;
  } finally {
    await db.end();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
