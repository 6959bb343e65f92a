/**
 * Load benchmark (issue 8): mixed traffic on loopback against the whole portal at 10,000 partners / 200,000 customers.
 *
 *   DATABASE_URL=postgres://… npm run bench:load [-- --duration 20 --connections 30 --users 300]
 *
 * Migrates, seeds set-based (INSERT … SELECT generate_series) once: 10,000 active partners, 200,000 customers held by
 * them, the current quarter's checklists (through DutiesService.generate), a few hundred partner users and two channel
 * managers. Starts the app in this process on a free loopback port, signs the users in through /api/auth/login, then runs
 * three autocannon instances at the same time: partners POST /api/records and GET /my/duties, managers GET /partners
 * pages. Prints req/s, p50/p99 per route, error counts and RSS before/after, and stops.
 * Runs with NODE_ENV=production unless set (view cache on; with NODE_ENV=development every page recompiles its templates
 * and the figures roughly halve). The app and autocannon share one Node process, so the figures are a floor.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { hashPassword } from '../../src/core/auth/password.util';
import { periodOfDate, todayIso } from '../../src/core/period/period.util';
import { DutiesService } from '../../src/modules/duties/duties.service';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number; errors: number; timeouts: number; duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}

const PARTNERS = 10_000;
const CUSTOMERS = 200_000;
const PASSWORD = 'bench-password-1';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function seed(db: DataSource, users: number): Promise<void> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM partner WHERE code LIKE 'LD-%'`);
  if (n >= PARTNERS) { console.log(`seed: ${n} LD partners already there`); return; }
  const t0 = Date.now();
  await db.transaction(async (m) => {
    await m.query(`
      INSERT INTO partner (code, name, credit_code, cooperation_type, tier, status, region, contract_signed_on, bank_account_no, bank_name, bank_account_name)
      SELECT 'LD-' || lpad(g::text, 6, '0'), 'Load Partner ' || g, 'L' || lpad(g::text, 17, '0'), 'sales_and_service', (ARRAY['A','B','C'])[1 + g % 3], 'active',
             (ARRAY['Guiyang','Zunyi','Anshun','Bijie','Tongren'])[1 + g % 5], '2025-01-01', '62220200' || lpad(g::text, 8, '0'), 'ICBC', 'Load Partner ' || g
        FROM generate_series(1, ${PARTNERS}) g`);
    await m.query(`INSERT INTO partner_status_history (partner_id, from_status, to_status, effective_on, reason) SELECT id, NULL, 'active', '2025-01-01', 'load bench' FROM partner WHERE code LIKE 'LD-%'`);
    await m.query(`
      INSERT INTO customer (code, name, industry, region, customer_class, stage)
      SELECT 'LDC-' || lpad(g::text, 7, '0'), 'Load Customer ' || g, 'manufacturing', (ARRAY['Guiyang','Zunyi','Anshun','Bijie','Tongren'])[1 + g % 5],
             (ARRAY['A','B','C'])[1 + g % 3], (ARRAY['acquisition','development','maturity','decline'])[1 + g % 4]
        FROM generate_series(1, ${CUSTOMERS}) g`);
    await m.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) SELECT id, NULL, stage, '2025-01-01', 'load bench' FROM customer WHERE code LIKE 'LDC-%'`);
    // customer g is held by partner 1 + g % 10,000: 20 customers per partner
    await m.query(`
      INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason)
      SELECT c.id, p.id, '2025-01-01', 'load bench' FROM customer c
        JOIN partner p ON p.code = 'LD-' || lpad((1 + substring(c.code from 5)::int % ${PARTNERS})::text, 6, '0')
       WHERE c.code LIKE 'LDC-%'`);
    const hash = await hashPassword(PASSWORD);
    await m.query(`INSERT INTO user_account (username, display_name, password_hash, role, partner_id)
      SELECT 'ld.partner' || g, 'Load partner user ' || g, $1, 'partner', (SELECT id FROM partner WHERE code = 'LD-' || lpad(g::text, 6, '0'))
        FROM generate_series(1, ${users}) g`, [hash]);
    await m.query(`INSERT INTO user_account (username, display_name, password_hash, role) VALUES ('ld.manager1', 'Load manager 1', $1, 'channel_manager'), ('ld.manager2', 'Load manager 2', $1, 'channel_manager')`, [hash]);
  });
  for (const t of ['partner', 'customer', 'customer_assignment', 'user_account']) await db.query(`ANALYZE ${t}`);
  console.log(`seed: ${PARTNERS} partners, ${CUSTOMERS} customers, ${users} partner users, 2 managers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

interface Login { cookie: string; csrf: string; customerId?: number }

async function login(base: string, username: string): Promise<Login> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const cookie0 = csrfRes.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { token } = (await csrfRes.json()) as { token: string };
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie: cookie0 }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf: csrfToken };
}

async function inBatches<T, R>(items: T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL to a PostgreSQL database (the bench seeds 10,000 partners and 200,000 customers into it).');
  const duration = Number(arg('duration', '20'));
  const connections = Number(arg('connections', '30'));
  const users = Number(arg('users', '300'));
  // production mode by default: Express caches compiled views only in production (development recompiles every page)
  Object.assign(process.env, {
    NODE_ENV: process.env.NODE_ENV ?? 'production', SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString('hex'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', RUN_MIGRATIONS_ON_START: 'true', DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20',
    // 300 users sign in from one loopback address: the per-address sign-in limit is not what this bench measures
    LOGIN_MAX_PER_IP: process.env.LOGIN_MAX_PER_IP ?? '100000',
  });
  console.log(`NODE_ENV=${process.env.NODE_ENV}, pool ${process.env.DATABASE_POOL_SIZE}`);

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { logger: ['error', 'warn'] });
  configureApp(app);
  await app.init(); // migrations run here
  const db = app.get<DataSource>(getDataSourceToken());
  await seed(db, users);
  const period = periodOfDate(todayIso()).code;
  const t0 = Date.now();
  const gen = await app.get(DutiesService).generate(SYSTEM_ACTOR, period);
  console.log(`checklists ${period}: ${gen.inserted} new item(s), ${gen.total} in total (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  console.log(`portal on ${base}`);

  const partnerLogins = await inBatches(Array.from({ length: users }, (_, i) => `ld.partner${i + 1}`), 16, (u) => login(base, u));
  const held: { username: string; customer_id: number }[] = await db.query(`
    SELECT u.username, min(a.customer_id) AS customer_id FROM user_account u JOIN customer_assignment a ON a.partner_id = u.partner_id AND a.valid_to IS NULL
     WHERE u.username LIKE 'ld.partner%' GROUP BY u.username`);
  const customerOf = new Map(held.map((h) => [h.username, h.customer_id]));
  partnerLogins.forEach((l, i) => { l.customerId = customerOf.get(`ld.partner${i + 1}`); });
  const managerLogins = await Promise.all(['ld.manager1', 'ld.manager2'].map((u) => login(base, u)));
  console.log(`signed in ${partnerLogins.length} partner users and ${managerLogins.length} managers`);

  const codes: { code: string }[] = await db.query(`SELECT code FROM partner WHERE code LIKE 'LD-%' AND id % 97 = 0 ORDER BY code LIMIT 60`);
  const pages = ['/partners', '/partners?status=active', '/partners?tier=A', '/partners?q=Load%20Partner%2077', ...codes.map((c) => `/partners?after=${c.code}`)];

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const wallBefore = Date.now();
  let nextPartner = 0;
  let nextManager = 0;
  const pickPartner = () => partnerLogins[nextPartner++ % partnerLogins.length];
  const occurredAt = () => new Date(Date.now() - 5 * 60_000).toISOString().slice(0, 16);
  const common = { url: base, duration, timeout: 30 };
  const third = Math.max(1, Math.floor(connections / 3));
  // each request picks its session from the client's context (a fresh one each time the client wraps around its list)
  type Ctx = { s?: Login };
  const withSession = (pick: () => Login, build: (s: Login, req: Record<string, unknown>) => Record<string, unknown>) =>
    (req: Record<string, unknown>, ctx: Ctx) => build((ctx.s ??= pick()), req);
  const [records, duties, partnersList] = await Promise.all([
    autocannon({
      ...common, connections: third, title: 'POST /api/records',
      requests: [{
        method: 'POST', path: '/api/records',
        setupRequest: withSession(pickPartner, (s, req) => ({
          ...req, headers: { ...(req.headers as object), 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': s.csrf, cookie: s.cookie },
          body: JSON.stringify({ customerId: s.customerId, recordType: 'visit', occurredAt: occurredAt(), description: 'load bench visit' }),
        })),
      }],
    }),
    autocannon({
      ...common, connections: third, title: 'GET /my/duties',
      requests: [{ method: 'GET', path: '/my/duties', setupRequest: withSession(pickPartner, (s, req) => ({ ...req, headers: { ...(req.headers as object), cookie: s.cookie } })) }],
    }),
    autocannon({
      ...common, connections: Math.max(1, connections - 2 * third), title: 'GET /partners',
      requests: pages.map((path) => ({
        method: 'GET', path,
        setupRequest: withSession(() => managerLogins[nextManager++ % managerLogins.length], (s, req) => ({ ...req, headers: { ...(req.headers as object), cookie: s.cookie } })),
      })),
    }),
  ]);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (Date.now() - wallBefore);
  // autocannon stops sending at the deadline; let the requests still in the app finish before closing the pool
  await new Promise((r) => setTimeout(r, 3000));
  global.gc?.();
  const rssAfter = process.memoryUsage().rss;

  console.log(`\n${PARTNERS} partners, ${CUSTOMERS} customers; ${duration} s, ${connections} connections in total\n`);
  console.log('route                 req/s    p50 ms   p99 ms   max ms   requests   non-2xx   errors   timeouts');
  let total = 0;
  let failures = 0;
  for (const [name, r] of [['POST /api/records', records], ['GET /my/duties', duties], ['GET /partners', partnersList]] as const) {
    total += r.requests.average;
    failures += r.non2xx + r.errors + r.timeouts;
    console.log(`${name.padEnd(20)} ${r.requests.average.toFixed(0).padStart(6)}   ${String(r.latency.p50).padStart(6)}   ${String(r.latency.p99).padStart(6)}   ${String(r.latency.max).padStart(6)}   ${String(r.requests.total).padStart(8)}   ${String(r.non2xx).padStart(7)}   ${String(r.errors).padStart(6)}   ${String(r.timeouts).padStart(8)}`);
    if (r.non2xx && r.statusCodeStats) console.log(`   status codes: ${JSON.stringify(r.statusCodeStats)}`);
  }
  console.log(`all routes           ${total.toFixed(0).padStart(6)} req/s`);
  console.log(`process CPU during the run: ${(cpuShare * 100).toFixed(0)}% of one core (app and load generator share this process)`);
  console.log(`RSS before ${mb(rssBefore)}, after ${mb(rssAfter)} (heap used ${mb(process.memoryUsage().heapUsed)})`);
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM service_record WHERE description = 'load bench visit'`);
  console.log(`service records written by the bench so far: ${n}`);
  await app.close();
  if (failures) {
    console.log(`${failures} request(s) failed`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
