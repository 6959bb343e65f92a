/**
 * Partner list benchmark (issue 3: "pagination/filter queries with 10k partners stay under 100 ms per page").
 * Not a timed test: run it by hand against a database.
 *
 *   npm run build && DATABASE_URL=postgres://… node dist/test/bench/partners-list.bench.js
 *   (without DATABASE_URL an embedded PGlite database in ./data/bench-pglite is used)
 *
 * Seeds partners up to 10,000 if there are fewer (codes BN-P-xxxxx), then times 20 keyset pages (the API) with filters
 * through PartnerDirectoryService.list and 12 numbered, sorted pages (the /partners page) through PartnerDirectoryService.page
 * (page query + count, as the page runs them) against a raw `SELECT … LIMIT 50`.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../../src/core/database/embedded-postgres';
import { typeOrmOptions } from '../../src/core/database/typeorm-options';
import { creditCodeCheckChar } from '../../src/modules/partners/credit-code.util';
import { PartnerDirectoryService } from '../../src/modules/partners/partner-directory.service';
import { parseListQuery } from '../../src/core/web/list-query';
import { PARTNER_LIST, PartnerListFilter } from '../../src/modules/partners/partner-list.util';

const TARGET = 10_000;
const REGIONS = ['贵阳市', '遵义市', '六盘水市', '安顺市', '毕节市', '铜仁市', '黔东南州', '黔南州', '黔西南州'];
const STATUSES = ['active', 'active', 'active', 'active', 'suspended', 'applied', 'under_review', 'approved', 'rejected', 'exited'];
const TYPES = ['sales', 'service', 'sales_and_service'];
const WORDS = ['通信', '信息', '网络', '科技', '电子', '服务', '工程', '数据'];

async function seed(db: DataSource): Promise<number> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM partner`);
  if (n >= TARGET) return n;
  const [{ next }] = await db.query(`SELECT coalesce(max(substring(code from '^BN-P-(\\d+)$')::int), 0) + 1 AS next FROM partner WHERE code LIKE 'BN-P-%'`);
  const missing = TARGET - n;
  console.log(`Seeding ${missing} partners …`);
  for (let start = 0; start < missing; start += 1000) {
    const values: string[] = [];
    const params: unknown[] = [];
    for (let i = start; i < Math.min(missing, start + 1000); i++) {
      const k = next + i;
      const body = `91520${String(k).padStart(12, '0')}`;
      const status = STATUSES[k % STATUSES.length];
      const tier = ['applied', 'under_review', 'rejected'].includes(status) ? null : ['A', 'B', 'C'][k % 3];
      params.push(`BN-P-${String(k).padStart(5, '0')}`, `${REGIONS[k % 9].slice(0, 2)}${WORDS[k % 8]}${WORDS[(k >> 3) % 8]}有限公司 ${k}`, body + creditCodeCheckChar(body),
        status, tier, TYPES[k % 3], REGIONS[k % 9], `62220200${String(k).padStart(8, '0')}`);
      const o = params.length - 8;
      values.push(`(${Array.from({ length: 8 }, (_, j) => `$${o + j + 1}`).join(',')})`);
    }
    await db.query(`INSERT INTO partner (code, name, credit_code, status, tier, cooperation_type, region, bank_account_no) VALUES ${values.join(',')}`, params);
    process.stdout.write(`  ${Math.min(missing, start + 1000)}/${missing}\r`);
  }
  await db.query('ANALYZE partner');
  console.log('');
  return TARGET;
}

const FILTERS: PartnerListFilter[] = [
  {}, { status: 'active' }, { tier: 'A' }, { type: 'sales' }, { region: '遵义市' }, { status: 'active', tier: 'B', region: '贵阳市' },
  { q: '通信' }, { q: 'BN-P-050' }, { q: '有限公司 9999' }, { status: 'suspended', type: 'service' }, { after: 'BN-P-05000' },
  { after: 'BN-P-09900' }, { before: 'BN-P-05000' }, { status: 'active', after: 'BN-P-07000' }, { tier: 'C', type: 'sales_and_service' },
  { q: '网络科技' }, { region: '黔南州', status: 'active' }, { q: '915200000000' }, { status: 'applied' }, { tier: 'A', q: '信息' },
];

const NUMBERED: [PartnerListFilter, Record<string, string>][] = [
  [{}, {}], [{}, { page: '100' }], [{}, { page: '200' }], [{}, { sort: 'name', page: '50' }], [{}, { sort: 'region', dir: 'desc', page: '20' }],
  [{ status: 'active' }, { sort: 'tier', page: '30' }], [{ regionIn: ['遵义市', '红花岗区', '汇川区'] }, { sort: 'name' }], [{ q: '通信' }, { sort: 'creditCode', page: '5' }],
  [{ tier: 'A' }, { sort: 'status', dir: 'desc', page: '10' }], [{ type: 'sales' }, { sort: 'certification', page: '40' }],
  [{ status: 'active', tier: 'B', region: '贵阳市' }, { sort: 'code', dir: 'desc' }], [{}, { sort: 'type', page: '150' }],
];

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(process.env.PGLITE_DATA_DIR ?? './data/bench-pglite', 5);
  const db = new DataSource(typeOrmOptions(process.env.DATABASE_URL ?? embedded!.url, 4));
  await db.initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
    const total = await seed(db);
    // only the list query is exercised, which needs nothing but the data source
    const directory = new PartnerDirectoryService(db, undefined as never, undefined as never, undefined as never, undefined as never);
    const raw = () => db.query(`SELECT id, code, name FROM partner ORDER BY code LIMIT 50`);
    for (const f of FILTERS.slice(0, 3)) { await directory.list({ ...f, limit: 50 }); await raw(); } // warm-up
    console.log(`${total} partners. ms per page (list = page query + count):`);
    let sumList = 0;
    let sumRaw = 0;
    let worst = 0;
    for (const f of FILTERS) {
      const list = await time(() => directory.list({ ...f, limit: 50 }));
      const base = await time(raw);
      sumList += list; sumRaw += base; worst = Math.max(worst, list);
      console.log(`  ${JSON.stringify(f).padEnd(60)} list ${list.toFixed(1).padStart(7)} ms   raw ${base.toFixed(1).padStart(6)} ms   ratio ${(list / base).toFixed(1)}`);
    }
    console.log(`average: list ${(sumList / FILTERS.length).toFixed(1)} ms, raw ${(sumRaw / FILTERS.length).toFixed(1)} ms, ratio ${(sumList / sumRaw).toFixed(1)}; worst page ${worst.toFixed(1)} ms (${worst < 100 ? 'under' : 'OVER'} 100 ms)`);
    console.log('numbered pages (the /partners page: sort by column, page N, with the total):');
    let worstNumbered = 0;
    for (const [f, q] of NUMBERED) {
      const list = parseListQuery(q, PARTNER_LIST);
      const ms = await time(() => directory.page(f, list));
      worstNumbered = Math.max(worstNumbered, ms);
      console.log(`  ${JSON.stringify({ ...f, ...q }).padEnd(60)} page ${ms.toFixed(1).padStart(7)} ms`);
    }
    console.log(`worst numbered page ${worstNumbered.toFixed(1)} ms (${worstNumbered < 100 ? 'under' : 'OVER'} 100 ms)`);
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
