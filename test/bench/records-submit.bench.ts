/**
 * Benchmark: POST /api/records on a running portal, measured with autocannon.
 *   npm run build && node dist/bench/records-submit.bench.js [--url http://127.0.0.1:3000] [--user partner1]
 *        [--password demo-password-1] [--duration 10] [--connections 20]
 * Signs in as the partner user, picks one of its customers, then submits visit records as fast as it can.
 * Target: ≥ 1,500 req/s and p99 < 50 ms on loopback (each request writes a record, ticks items and an audit row).
 */
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

async function main(): Promise<void> {
  const url = arg('url', 'http://127.0.0.1:3000').replace(/\/$/, '');
  const user = arg('user', 'partner1');
  const password = arg('password', 'demo-password-1');
  const duration = Number(arg('duration', '10'));
  const connections = Number(arg('connections', '20'));

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
  console.log(`posting records for customer ${rows[0].code} as ${user}: ${connections} connections, ${duration} s`);

  const body = JSON.stringify({ customerId: rows[0].id, recordType: 'visit', occurredAt: new Date(Date.now() - 60_000).toISOString(), description: 'bench visit' });
  const result = await autocannon({
    url: `${url}/api/records`, method: 'POST', connections, duration, body,
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie },
  });
  const ok = result.requests.total - result.non2xx;
  console.log(`requests: ${result.requests.total} (${ok} accepted, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts)`);
  console.log(`throughput: ${result.requests.average.toFixed(0)} req/s   latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  const pass = result.requests.average >= 1500 && result.latency.p99 < 50 && result.non2xx === 0;
  console.log(pass ? 'target met (≥ 1500 req/s, p99 < 50 ms)' : 'target NOT met (≥ 1500 req/s, p99 < 50 ms)');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
