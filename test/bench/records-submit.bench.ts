/**
 * Benchmark: POST /api/records on a running portal, measured with autocannon in this (separate) process.
 *   npm run bench:records -- [--url http://127.0.0.1:3000] [--user partner1] [--password demo-password-1]
 *        [--duration 10] [--connections 20] [--warmup 5]
 * Signs in as the partner user, picks one of its customers, warms the server up (JIT, pools, prepared statements),
 * then submits records (rotating over its customers and record types) as fast as it can. Each accepted request writes a record, ticks checklist items and
 * writes an audit row. Baselines in the same run: GET /api/auth/me (session + user, no write) through the same
 * server, and — when DATABASE_URL names the portal's database — the submission statement straight through pg.
 * Target (issue #4): ≥ 1,500 req/s and p99 < 50 ms on loopback.
 *
 * Processes (issue #13): `DATABASE_URL=… npm run bench:records -- --compare-processes [--port 3999] [--duration 10]`
 * starts the built portal itself, first as one process, then as the cluster with WEB_CONCURRENCY=2, on the same
 * PostgreSQL (migrated, demo data), measures both the same way and prints each one's req/s, the ratio 2 / 1, and
 * the ratio of record submission to the session-only floor GET /api/auth/me in the same run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { SUBMIT_RECORD_SQL } from '../../src/modules/duties/queries/record-write.sql';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number; errors: number; timeouts: number; duration: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

const line = (label: string, r: AutocannonResult) =>
  `${label.padEnd(44)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   non-2xx ${r.non2xx}, errors ${r.errors}`;

/** The same statement the service runs, straight through pg, as many clients as connections: the database's ceiling. */
async function rawStatementBaseline(databaseUrl: string, customerCode: string, user: string, connections: number, seconds: number): Promise<string> {
  const pool = new Pool({ connectionString: databaseUrl, max: connections });
  try {
    const [who] = (await pool.query(
      `SELECT a.customer_id, a.partner_id, u.id AS user_id FROM customer c JOIN customer_assignment a ON a.customer_id = c.id AND a.valid_to IS NULL
         JOIN user_account u ON u.partner_id = a.partner_id AND u.username = $2 WHERE c.code = $1`, [customerCode, user])).rows;
    if (!who) return 'raw statement baseline skipped: DATABASE_URL is not this portal\'s database';
    const at = new Date(Date.now() - 60_000);
    const [{ d, p }] = (await pool.query(`SELECT $1::timestamptz::date::text AS d, to_char($1::timestamptz, 'YYYY"Q"Q') AS p`, [at])).rows;
    const values = [who.customer_id, who.partner_id, d, p, 'visit', at, null, 'bench raw', '', null, [], null, null, who.user_id, who.user_id, user, '{"customerId":0}'];
    const latencies: number[] = [];
    const end = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < end) {
        const t0 = process.hrtime.bigint();
        await pool.query({ name: 'bench-submit', text: SUBMIT_RECORD_SQL, values });
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
    latencies.sort((a, b) => a - b);
    const q = (f: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * f))].toFixed(1);
    return `${'baseline: the statement alone, through pg'.padEnd(44)} ${(latencies.length / seconds).toFixed(0).padStart(6)} stmt/s  p50 ${q(0.5)} ms   p99 ${q(0.99)} ms`;
  } finally {
    await pool.end();
  }
}

interface Measured { url: string; customers: number; submit: AutocannonResult; me: AutocannonResult; firstCustomer: string }

/** Signs in, warms up, measures POST /api/records, then the session-only floor GET /api/auth/me, on one portal URL. */
async function measure(url: string, user: string, password: string, duration: number, connections: number, warmup: number): Promise<Measured> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { token } = (await csrf.json()) as { token: string };
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie: cookiesOf(csrf) },
    body: JSON.stringify({ username: user, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in as ${user} failed: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = cookiesOf(login);
  const customers = await fetch(`${url}/api/customers`, { headers: { cookie } });
  const { rows } = (await customers.json()) as { rows: { id: number; code: string }[] };
  if (!rows?.length) throw new Error(`${user} holds no customers; run against the demo data or assign some`);
  console.log(`POST ${url}/api/records for ${rows.length} customer(s) of ${user}: ${connections} connections, ${warmup} s warm-up, ${duration} s measured`);

  // rotate over the partner's customers and a few record types, so submissions keep ticking different checklist items
  const types = ['visit', 'consultation', 'promotion', 'business_handling', 'training'];
  let n = 0;
  const nextBody = () => {
    const i = n++;
    return JSON.stringify({ customerId: rows[i % rows.length].id, recordType: types[Math.floor(i / rows.length) % types.length], occurredAt: new Date(Date.now() - 60_000).toISOString(), description: 'bench record' });
  };
  const submit = {
    url: `${url}/api/records`, method: 'POST', connections, headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }) }],
  };
  if (warmup > 0) await autocannon({ ...submit, duration: warmup });
  const result = await autocannon({ ...submit, duration });
  const me = await autocannon({ url: `${url}/api/auth/me`, connections, duration: Math.min(duration, 5), headers: { cookie } });
  return { url, customers: rows.length, submit: result, me, firstCustomer: rows[0].code };
}

/** Starts a portal (one process, or the cluster with WEB_CONCURRENCY) on a port and waits for /health. */
async function startPortal(kind: 'single' | 'cluster', port: number, processes: number): Promise<ChildProcess> {
  const entry = join(__dirname, '..', '..', 'src', kind === 'single' ? 'main.js' : 'cluster.js');
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: String(port), WEB_CONCURRENCY: String(processes), NODE_ENV: 'production', LOG_LEVEL: 'warn', RUN_MIGRATIONS_ON_START: 'false',
      SESSION_SECRET: process.env.SESSION_SECRET ?? 'bench-secret-bench-secret-bench-secret-0123' },
    stdio: ['ignore', 'ignore', 'inherit'], detached: true,
  });
  const end = Date.now() + 60_000;
  for (;;) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > end || child.exitCode !== null) throw new Error(`portal (${kind}) did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  if (kind === 'cluster') await new Promise((r) => setTimeout(r, 3000)); // every worker listening
  return child;
}

/** Stops the portal and (cluster) its workers: the whole process group it leads. */
async function stopPortal(child: ChildProcess): Promise<void> {
  const signal = (s: NodeJS.Signals) => { try { process.kill(-child.pid!, s); } catch { child.kill(s); } };
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  signal('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) signal('SIGKILL');
  await new Promise((r) => setTimeout(r, 1000)); // the port is free again
}

async function main(): Promise<void> {
  const url = arg('url', 'http://127.0.0.1:3000').replace(/\/$/, '');
  const user = arg('user', 'partner1');
  const password = arg('password', 'demo-password-1');
  const duration = Number(arg('duration', '10'));
  const connections = Number(arg('connections', '20'));
  const warmup = Number(arg('warmup', '5'));

  if (process.argv.includes('--compare-processes')) {
    // one portal process, then two (node cluster, WEB_CONCURRENCY=2), on the same PostgreSQL, measured the same way
    if (!process.env.DATABASE_URL) throw new Error('--compare-processes starts the portals itself: set DATABASE_URL (migrated, demo data)');
    const port = Number(arg('port', '3999'));
    const runs: { label: string; m: Measured }[] = [];
    for (const [label, kind, n] of [['1 process', 'single', 1], ['2 processes (cluster)', 'cluster', 2]] as const) {
      const child = await startPortal(kind, port, n);
      try { runs.push({ label, m: await measure(`http://127.0.0.1:${port}`, user, password, duration, connections, warmup) }); } finally { await stopPortal(child); }
    }
    for (const { label, m } of runs) {
      console.log(`${label}:`);
      console.log(`  ${line('POST /api/records (record + ticks + audit)', m.submit)}`);
      console.log(`  ${line('floor: GET /api/auth/me (session + user)', m.me)}`);
      console.log(`  submission / session-only floor: ${(m.submit.requests.average / m.me.requests.average).toFixed(2)}`);
    }
    const [one, two] = runs.map((r) => r.m);
    console.log(`2 processes / 1 process: submissions ${(two.submit.requests.average / one.submit.requests.average).toFixed(2)}×, GET /api/auth/me ${(two.me.requests.average / one.me.requests.average).toFixed(2)}× (${os.cpus().length} CPU cores on this machine, shared with PostgreSQL and autocannon)`);
    return;
  }

  const m = await measure(url, user, password, duration, connections, warmup);
  const result = m.submit;
  console.log(line('POST /api/records (record + ticks + audit)', result));
  console.log(line('baseline: GET /api/auth/me (session + user)', m.me));
  console.log(`submission / session-only floor: ${(result.requests.average / m.me.requests.average).toFixed(2)}`);
  if (process.env.DATABASE_URL) console.log(await rawStatementBaseline(process.env.DATABASE_URL, m.firstCustomer, user, connections, Math.min(duration, 5)));
  else console.log('(set DATABASE_URL to the portal\'s database to add the raw-statement baseline)');
  const pass = result.requests.average >= 1500 && result.latency.p99 < 50 && result.non2xx === 0 && result.errors === 0;
  console.log(pass ? 'target met: ≥ 1,500 req/s, p99 < 50 ms, no errors' : 'target NOT met: ≥ 1,500 req/s, p99 < 50 ms, no errors');
  process.exitCode = pass ? 0 : 2;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
