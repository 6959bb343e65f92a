import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { JobQueue } from '../../src/core/jobs/job-queue.service';
import { createTestApp, onRealPostgres, TestApp, TEST_PASSWORD, testDatabaseUrl } from '../support/test-app';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

interface Portal { proc: ChildProcess; url: string; pid: number }

async function startPortal(): Promise<Portal> {
  const proc = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env, NODE_ENV: 'production', DATABASE_URL: testDatabaseUrl(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      SESSION_SECRET: 'two-processes-test-secret-0123456789abcdef', RUN_MIGRATIONS_ON_START: 'false', JOBS_POLL_SECONDS: '1',
      JOBS_MAINTENANCE_SECONDS: '2', JOBS_SCHEDULES: 'false', JOBS_ENABLED: 'true', JOBS_WORKER: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portal did not start: ${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1].replace('localhost', '127.0.0.1'), pid: proc.pid! }); }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`portal exited ${code}: ${out}`)); });
  });
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Two portal processes on one PostgreSQL (what `npm run start:cluster` runs): a session made by one is served by the
 * other; 100 jobs are each run exactly once; a process killed in the middle of a job leaves it to the other, which
 * finishes it once. PostgreSQL only: the embedded PGlite database belongs to a single process.
 */
(onRealPostgres() ? describe : describe.skip)('two portal processes on one PostgreSQL (PostgreSQL only)', () => {
  let t: TestApp;
  let a: Portal;
  let b: Portal;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npx nest build" first (npm test does it in pretest)`);
    t = await createTestApp({ JOBS_ENABLED: 'false' });
    [a, b] = await Promise.all([startPortal(), startPortal()]);
  }, 120_000);
  afterAll(async () => {
    for (const p of [a, b]) p?.proc.kill('SIGKILL');
    await t?.close();
  });

  it('a user signed in through one process is served by the other', async () => {
    const u = await t.createUser('finance');
    const agentA = request.agent(a.url);
    const csrf = (await agentA.get('/api/auth/csrf')).body.token;
    const login = await agentA.post('/api/auth/login').set('x-csrf-token', csrf).send({ username: u.username, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const me = await request(b.url).get('/api/auth/me').set('Cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(u.username);
    // and a state-changing call with the CSRF token issued by process A is accepted by process B
    const lang = await request(b.url).post('/language').set('Cookie', cookie).set('x-csrf-token', login.body.csrfToken).set('Accept', 'application/json').send({ lang: 'en' });
    expect(lang.status).toBe(201);
  });

  it('100 jobs enqueued are each run exactly once, by either process', async () => {
    const jobs = t.get(JobQueue);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await jobs.enqueue('system.heartbeat', {}));
    const done = await until(async () => (await t.db.query(`SELECT count(*)::int AS n FROM job_progress WHERE job_id = ANY($1) AND done > 0`, [ids]))[0].n as number, (n) => n === 100, 90_000);
    expect(done).toBe(100);
    const rows: { done: string; note: string }[] = await t.db.query(`SELECT done, note FROM job_progress WHERE job_id = ANY($1)`, [ids]);
    expect(rows.every((r) => r.done === '1')).toBe(true);
    const pids = new Set(rows.map((r) => r.note));
    expect([...pids].every((n) => n === `pid ${a.pid}` || n === `pid ${b.pid}`)).toBe(true);
  }, 120_000);

  it('a process killed in the middle of a job leaves it to the other process, which finishes it once', async () => {
    const jobs = t.get(JobQueue);
    const id = await jobs.enqueue('system.heartbeat', { sleepMs: 10_000 });
    const started = await until(async () => (await t.db.query(`SELECT note FROM job_progress WHERE job_id = $1`, [id]))[0]?.note as string | null, (n) => !!n && n.endsWith('started'), 30_000);
    const victim = started === `pid ${a.pid} started` ? a : b;
    const survivor = victim === a ? b : a;
    victim.proc.kill('SIGKILL');
    // the job expires (30 s after it started: longer than it takes alive) and pg-boss retries it on the surviving process
    const row = await until(async () => (await t.db.query(`SELECT done, note FROM job_progress WHERE job_id = $1`, [id]))[0], (r) => r.done === '1', 90_000);
    expect(row).toEqual({ done: '1', note: `pid ${survivor.pid}` });
  }, 120_000);
});
