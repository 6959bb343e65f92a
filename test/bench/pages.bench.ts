/**
 * Page benchmark (issue 18): every page of the menu and every report, per role, at full scale.
 *
 *   DATABASE_URL=postgres://… npm run bench:pages [-- --partners 10000 --customers 200000 --lines 1000000 --repeat 20 --only /duties,/customers]
 *
 * Migrates and seeds set-based once (prefix PB-): partners, customers held by them, the current quarter's checklists
 * (DutiesService.generate), 8 closed quarters of confirmed score sheets, accrual lines, a regular batch with its lines
 * (the 90/10 formula in SQL), some violations; one login per role. Starts the app in this process on a loopback port,
 * signs in as each role and fetches each page `repeat` times in a row (page 50 of the long lists too). Prints p50/p95
 * per page and its ratio to the floor: a trivial signed-in page (/notifications/settings) timed in the same run.
 * Bounded: repeat × pages requests to 127.0.0.1 only, then it stops.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Role, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { hashPassword } from '../../src/core/auth/password.util';
import { periodOfDate, previousPeriod, todayIso } from '../../src/core/period/period.util';
import { NAV } from '../../src/core/web/nav';
import { DutiesService } from '../../src/modules/duties/duties.service';

const PASSWORD = 'bench-password-1';
const REGIONS = ['贵阳市', '遵义市', '六盘水市', '安顺市', '毕节市', '铜仁市', '黔东南州', '黔南州', '黔西南州'];
const PRODUCTS = ['集团宽带', '互联网专线', '云桌面', '物联网卡', '视频监控', '企业短信'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const secs = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** The 8 closed quarters before the current one, oldest first. */
function closedQuarters(): string[] {
  const out = [previousPeriod(periodOfDate(todayIso()).code).code];
  while (out.length < 8) out.unshift(previousPeriod(out[0]).code);
  return out;
}

async function seed(db: DataSource, partners: number, customers: number, lines: number): Promise<void> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM partner WHERE code LIKE 'PB-%'`);
  if (n >= partners) { console.log(`seed: ${n} PB partners already there`); return; }
  const quarters = closedQuarters();
  let t0 = Date.now();
  const regions = `ARRAY[${REGIONS.map((r) => `'${r}'`).join(',')}]`;
  await db.transaction(async (m) => {
    await m.query(`
      INSERT INTO partner (code, name, credit_code, cooperation_type, tier, status, region, contract_signed_on, bank_account_no, bank_name, bank_account_name)
      SELECT 'PB-' || lpad(g::text, 6, '0'), '压测合作伙伴' || g, 'P' || lpad(g::text, 17, '0'), 'sales_and_service', (ARRAY['A','B','C'])[1 + g % 3], 'active',
             (${regions})[1 + g % 9], '2024-01-01', '62220200' || lpad(g::text, 8, '0'), '工商银行', '压测合作伙伴' || g
        FROM generate_series(1, ${partners}) g`);
    await m.query(`INSERT INTO partner_status_history (partner_id, from_status, to_status, effective_on, reason) SELECT id, NULL, 'active', '2024-01-01', 'bench' FROM partner WHERE code LIKE 'PB-%'`);
    await m.query(`
      INSERT INTO customer (code, name, industry, region, customer_class, stage)
      SELECT 'PBC-' || lpad(g::text, 7, '0'), '压测客户' || g, '制造业', (${regions})[1 + g % 9], (ARRAY['A','B','C'])[1 + g % 3],
             (ARRAY['acquisition','development','maturity','decline'])[1 + g % 4]
        FROM generate_series(1, ${customers}) g`);
    await m.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) SELECT id, NULL, stage, '2024-01-01', 'bench' FROM customer WHERE code LIKE 'PBC-%'`);
    await m.query(`
      INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason)
      SELECT c.id, p.id, '2024-01-01', 'bench' FROM customer c
        JOIN partner p ON p.code = 'PB-' || lpad((1 + substring(c.code from 5)::int % ${partners})::text, 6, '0')
       WHERE c.code LIKE 'PBC-%'`);
    const hash = await hashPassword(PASSWORD);
    await m.query(`INSERT INTO user_account (username, display_name, password_hash, role, partner_id) VALUES
      ('pb.admin', '压测管理员', $1, 'admin', NULL), ('pb.manager', '压测渠道经理', $1, 'channel_manager', NULL), ('pb.finance', '压测财务', $1, 'finance', NULL),
      ('pb.partner', '压测合作伙伴用户', $1, 'partner', (SELECT id FROM partner WHERE code = 'PB-000001'))`, [hash]);
  });
  console.log(`seed: ${partners} partners, ${customers} customers, 4 logins in ${secs(t0)}`);

  t0 = Date.now();
  const [{ id: scheme }] = await db.query(`SELECT id FROM scoring_scheme ORDER BY version DESC LIMIT 1`);
  for (const q of quarters) {
    await db.query(`INSERT INTO scoring_period (period, scheme_id) SELECT $1::varchar, $2 WHERE NOT EXISTS (SELECT 1 FROM scoring_period WHERE period = $1::varchar)`, [q, scheme]);
  }
  // Y between 40 and 100, different per partner and quarter; confirmed
  await db.query(`
    INSERT INTO score_sheet (period, partner_id, scheme_id, status, score_y, submitted_at, confirmed_at)
    SELECT q.period, p.id, $2, 'confirmed', round((40 + ((p.id * 37 + q.i * 11) % 6000) / 100.0)::numeric, 2), now(), now()
      FROM partner p CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS q(period, i) WHERE p.code LIKE 'PB-%'`, [quarters, scheme]);
  console.log(`seed: ${partners * 8} confirmed score sheets over ${quarters[0]}–${quarters[7]} in ${secs(t0)}`);

  t0 = Date.now();
  const perQuarter = Math.ceil(lines / quarters.length);
  for (const q of quarters) {
    const [{ id: imp }] = await db.query(`INSERT INTO accrual_import (period, file_name, line_count, total_amount) VALUES ($1, 'bench.csv', $2, 0) RETURNING id`, [q, perQuarter]);
    await db.query(`
      INSERT INTO accrual_line (import_id, period, row_no, partner_id, customer_id, customer_code, product, accrual_date, amount, reference)
      SELECT $1, $2::varchar, g, p.id, NULL, 'PBC-' || lpad((1 + g % ${customers})::text, 7, '0'), (${`ARRAY[${PRODUCTS.map((x) => `'${x}'`).join(',')}]`})[1 + g % ${PRODUCTS.length}],
             $3::date + (g % 80), (50 + (g * 7919) % 950)::numeric / 1 + 0.25, 'PB-' || $2::varchar || '-' || g
        FROM generate_series(1, $4::int) g JOIN partner p ON p.code = 'PB-' || lpad((1 + g % ${partners})::text, 6, '0')`, [imp, q, periodStart(q), perQuarter]);
    await db.query(`UPDATE accrual_import SET total_amount = (SELECT COALESCE(sum(amount), 0) FROM accrual_line WHERE import_id = $1) WHERE id = $1`, [imp]);
    // the quarter's regular batch: 90 % + 10 % × P per partner, P from the confirmed Y (older quarters paid)
    const status = q === quarters[quarters.length - 1] ? 'approved' : 'paid';
    const [{ id: batch }] = await db.query(`INSERT INTO settlement_batch (period, kind, status, formula_version, approved_at, paid_at)
      VALUES ($1, 'regular', $2::varchar, 'v1', now(), CASE WHEN $2::varchar = 'paid' THEN now() END) RETURNING id`, [q, status]);
    await db.query(`
      INSERT INTO settlement_line (batch_id, partner_id, accrual_count, accrued, score_y, coefficient_p, base_pay, quality_pay, adjustments, total_formula, total_pay, carry_forward, formula_version)
      SELECT $1, a.partner_id, a.n, a.accrued, s.score_y, s.p, round(a.accrued * 0.9, 2), round(a.accrued * 0.1 * s.p, 2), 0,
             round(a.accrued * 0.9, 2) + round(a.accrued * 0.1 * s.p, 2), round(a.accrued * 0.9, 2) + round(a.accrued * 0.1 * s.p, 2), 0, 'v1'
        FROM (SELECT partner_id, count(*)::int AS n, sum(amount) AS accrued FROM accrual_line WHERE import_id = $2 GROUP BY partner_id) a
        JOIN (SELECT partner_id, score_y, CASE WHEN score_y >= 90 THEN 1 ELSE round(score_y / 90, 12) END AS p FROM score_sheet WHERE period = $3) s ON s.partner_id = a.partner_id`, [batch, imp, q]);
    await db.query(`UPDATE settlement_batch SET line_count = (SELECT count(*) FROM settlement_line WHERE batch_id = $1), total_pay = (SELECT COALESCE(sum(total_pay), 0) FROM settlement_line WHERE batch_id = $1) WHERE id = $1`, [batch]);
  }
  console.log(`seed: ${perQuarter * quarters.length} accrual lines, 8 batches with their lines in ${secs(t0)}`);

  t0 = Date.now();
  const [{ id: kind }] = await db.query(`SELECT id FROM violation_kind ORDER BY id LIMIT 1`);
  await db.query(`
    INSERT INTO violation (partner_id, occurred_on, kind_id, severity, score_deduction, penalty_amount, description, response_due_on)
    SELECT p.id, $2::date + (p.id % 600), $1, CASE WHEN p.id % 10 = 0 THEN 'major' ELSE 'minor' END, 2, 500, '压测违规记录', $2::date + (p.id % 600) + 7
      FROM partner p WHERE p.code LIKE 'PB-%' AND p.id % 4 = 0`, [kind, periodStart(quarters[0])]);
  for (const t of ['partner', 'customer', 'customer_assignment', 'user_account', 'score_sheet', 'accrual_line', 'settlement_line', 'settlement_batch', 'violation']) await db.query(`ANALYZE ${t}`);
  console.log(`seed: violations, ANALYZE in ${secs(t0)}`);
}

function periodStart(q: string): string {
  const [y, n] = q.split('Q').map(Number);
  return `${y}-${String((n - 1) * 3 + 1).padStart(2, '0')}-01`;
}

interface Login { cookie: string }
async function login(base: string, username: string): Promise<Login> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const cookie0 = csrfRes.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { token } = (await csrfRes.json()) as { token: string };
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie: cookie0 }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function time(base: string, s: Login, path: string, repeat: number): Promise<{ p50: number; p95: number; status: number }> {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < repeat + 1; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(base + path, { headers: { cookie: s.cookie, 'accept-language': 'zh-CN' }, redirect: 'manual' });
    await res.arrayBuffer();
    status = res.status;
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6); // the first request warms the view cache
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p95: pct(times, 95), status };
}

/** Menu pages of a role, the reports with their filters, and page 50 of the long lists. */
function pagesOf(role: Role, closed: string): string[] {
  const menu = NAV.filter((l) => l.roles.includes(role)).map((l) => l.href);
  const extra: Record<Role, string[]> = {
    admin: ['/admin/audit?page=50', '/partners?page=50'],
    channel_manager: ['/partners?page=50', '/customers?page=50', '/violations?page=50', `/scoring/${closed}`, '/reports/ranking', '/reports/ranking?page=50', `/reports/ranking?period=${closed}&sort=pay&dir=desc`,
      '/reports/cost', '/reports/duties', '/reports/duties?page=50', '/reports/violations', '/reports/complaints'],
    finance: ['/partners?page=50', '/reports/cost', `/reports/cost?from=${closed}&to=${closed}&region=${encodeURIComponent('遵义市')}`, '/reports/ranking?page=50', `/reports/ranking?format=xlsx`, '/reports/cost?format=csv'],
    partner: ['/my/customers?page=1'],
  };
  return [...new Set([...menu, ...extra[role]])];
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL to a PostgreSQL database (the bench seeds a large data set into it).');
  const partners = Number(arg('partners', '10000'));
  const customers = Number(arg('customers', '200000'));
  const lines = Number(arg('lines', '1000000'));
  const repeat = Number(arg('repeat', '20'));
  const only = process.argv.includes('--only') ? arg('only', '').split(',').filter(Boolean) : null; // e.g. --only /duties,/customers ('/$' = exactly /)
  Object.assign(process.env, {
    NODE_ENV: process.env.NODE_ENV ?? 'production', SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString('hex'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    RUN_MIGRATIONS_ON_START: 'true', JOBS_SCHEDULES: 'false',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { logger: ['error', 'warn'] });
  configureApp(app);
  await app.init();
  const db = app.get<DataSource>(getDataSourceToken());
  await seed(db, partners, customers, lines);
  const period = periodOfDate(todayIso()).code;
  const t0 = Date.now();
  const gen = await app.get(DutiesService).generate(SYSTEM_ACTOR, period);
  console.log(`checklists ${period}: ${gen.inserted} new item(s), ${gen.total} in total (${secs(t0)})`);
  await db.query('ANALYZE checklist_item');

  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  const closed = previousPeriod(period).code;
  const users: [Role, string][] = [['partner', 'pb.partner'], ['channel_manager', 'pb.manager'], ['finance', 'pb.finance'], ['admin', 'pb.admin']];
  console.log(`\n${partners} partners, ${customers} customers, ${lines} accrual lines, 8 quarters; each page ${repeat}× after one warm-up request\n`);
  console.log('role             page                                                   status   p50 ms   p95 ms   p50/floor  p95/floor');
  const worst: { role: string; path: string; p95: number }[] = [];
  for (const [role, username] of users) {
    const s = await login(base, username);
    const floor = await time(base, s, '/notifications/settings', repeat);
    console.log(`${role.padEnd(16)} ${'(floor) /notifications/settings'.padEnd(54)} ${String(floor.status).padStart(6)}   ${floor.p50.toFixed(1).padStart(6)}   ${floor.p95.toFixed(1).padStart(6)}`);
    for (const path of pagesOf(role, closed).filter((x) => !only || only.some((o) => (o.endsWith('$') ? x === o.slice(0, -1) : x.startsWith(o))))) {
      const r = await time(base, s, path, repeat);
      worst.push({ role, path, p95: r.p95 });
      console.log(`${role.padEnd(16)} ${path.slice(0, 54).padEnd(54)} ${String(r.status).padStart(6)}   ${r.p50.toFixed(1).padStart(6)}   ${r.p95.toFixed(1).padStart(6)}   ${(r.p50 / floor.p50).toFixed(1).padStart(8)}×  ${(r.p95 / floor.p95).toFixed(1).padStart(8)}×`);
    }
  }
  worst.sort((a, b) => b.p95 - a.p95);
  console.log(`\nslowest p95: ${worst.slice(0, 5).map((w) => `${w.role} ${w.path} ${w.p95.toFixed(0)} ms`).join('; ')}`);
  const pagesOver = worst.filter((w) => !w.path.startsWith('/reports') && w.p95 >= 100);
  const reportsOver = worst.filter((w) => w.path.startsWith('/reports') && w.p95 >= 1000);
  console.log(`goal (pages p95 < 100 ms, reports < 1 s): ${pagesOver.length} page(s) and ${reportsOver.length} report(s) over`);
  await app.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
