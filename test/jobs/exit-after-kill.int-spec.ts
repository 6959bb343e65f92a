import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, TestApp, testDatabaseUrl } from '../support/test-app';

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli.js');
const PERIOD = '2026Q2';
const WEB_PERIOD = '2026Q1';
const LOW = 30; // partners with Y below the score floor (60): each must get one exit proposal
const FINE = 10;

/**
 * Work that follows a change is never lost: a quarter confirmed from the CLI (a process that enqueues and ends) or from
 * the web by a process that dies before any worker ran, leaves every exit proposal to be created once a portal process
 * is started again — exactly once per partner.
 */
describe('confirming a quarter, then every process gone: the exit evaluations run when the portal is back', () => {
  let t: TestApp;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx nest build" first (npm test does it in pretest)`);
    // the app of this test runs no workers: it stands for processes that stopped right after the commit
    t = await createTestApp({ JOBS_ENABLED: 'false' });
  });
  afterAll(() => t?.close());

  /** n active partners with a submitted sheet of Y whose dispute window has passed (set-based, no scoring UI needed) */
  async function sheets(prefix: string, n: number, y: number, period = PERIOD): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 1; i <= n; i++) ids.push((await t.createPartner({ code: `${prefix}-${String(i).padStart(3, '0')}` })).id);
    const [scheme] = await t.db.query(`SELECT id FROM scoring_scheme ORDER BY id DESC LIMIT 1`);
    await t.db.query(`INSERT INTO scoring_period (period, scheme_id, dispute_window_days) VALUES ($1, $2, 7) ON CONFLICT (period) DO NOTHING`, [period, scheme.id]);
    const made: { id: number }[] = await t.db.query(`
      INSERT INTO score_sheet (period, partner_id, scheme_id, status, submitted_at, dispute_deadline)
      SELECT $1, p, $2, 'submitted', now() - interval '10 days', now() - interval '3 days' FROM unnest($3::int[]) p RETURNING id`, [period, scheme.id, ids]);
    // every indicator of the scheme scored y: Y = y
    await t.db.query(`
      INSERT INTO score_sheet_line (sheet_id, indicator_id, score)
      SELECT s.id, i.id, $2 FROM unnest($1::int[]) s(id) CROSS JOIN scoring_indicator i WHERE i.scheme_id = $3`, [made.map((m) => m.id), y, scheme.id]);
    return ids;
  }

  const proposals = async (ids: number[]) => (await t.db.query(`SELECT partner_id, trigger FROM exit_proposal WHERE partner_id = ANY($1) ORDER BY partner_id`, [ids])) as { partner_id: number; trigger: string }[];

  async function portalBack(): Promise<TestApp> {
    // a new process on the same database (no reset): its workers find the queued evaluations
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../../src/app.module');
    const { configureApp } = await import('../../src/app.setup');
    process.env.JOBS_ENABLED = 'true';
    const app = await NestFactory.create(AppModule.forRoot(), { logger: ['error'] });
    configureApp(app as never);
    await app.init();
    return new TestApp(app as never);
  }

  // the web case first: passport's strategy is process-global, and the second app of this process replaces it
  it('from the web: a confirmation answered by a process that dies before any worker ran is evaluated by the next process', async () => {
    const low = await sheets('KWEB', 5, 45, WEB_PERIOD);
    const manager = await t.loginAs('channel_manager');
    const res = await manager.post(`/api/scoring/periods/${WEB_PERIOD}/confirm`, {});
    expect(res.status).toBe(201);
    expect(res.body.confirmed).toHaveLength(5);
    // this process runs no workers (it stands for one killed right after answering): nothing evaluated yet
    expect(await proposals(low)).toEqual([]);
    const back = await portalBack();
    try {
      let got: { partner_id: number; trigger: string }[] = [];
      for (let i = 0; i < 240 && got.length < low.length; i++) { got = await proposals(low); await new Promise((r) => setTimeout(r, 250)); }
      expect(got.map((p) => p.partner_id)).toEqual(low);
    } finally {
      await back.close();
      process.env.JOBS_ENABLED = 'false';
    }
  }, 120_000);

  it('from the CLI: scoring confirm commits, exits; the portal started later creates every proposal once', async () => {
    const low = await sheets('KCLI', LOW, 40);
    const fine = await sheets('KCLIOK', FINE, 95);
    const cli = spawnSync(process.execPath, [CLI, 'scoring', 'confirm', '--period', PERIOD], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), NODE_ENV: 'test', LOG_LEVEL: 'silent', PORTAL_LANG: 'en', RUN_MIGRATIONS_ON_START: 'false' },
      encoding: 'utf8', timeout: 120_000,
    });
    if (cli.status !== 0) console.log(cli.stdout, cli.stderr);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`${LOW + FINE}`));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM score_sheet WHERE period = $1 AND status = 'confirmed'`, [PERIOD]);
    expect(n).toBe(LOW + FINE);
    // nothing evaluated yet (no process ran any worker) — the work waits in the queue
    expect(await proposals([...low, ...fine])).toEqual([]);
    const [{ queued }] = await t.db.query(`SELECT count(*)::int AS queued FROM pgboss.job WHERE name = 'exit.evaluate' AND state = 'created'`);
    expect(queued).toBe(LOW + FINE);

    const back = await portalBack();
    try {
      let got: { partner_id: number; trigger: string }[] = [];
      for (let i = 0; i < 240 && got.length < LOW; i++) { got = await proposals(low); await new Promise((r) => setTimeout(r, 250)); }
      expect(got.map((p) => p.partner_id)).toEqual(low);
      expect(new Set(got.map((p) => p.trigger))).toEqual(new Set(['score_floor']));
      for (let i = 0; i < 240; i++) {
        const [{ left }] = await t.db.query(`SELECT count(*)::int AS left FROM pgboss.job WHERE name = 'exit.evaluate' AND state <> 'completed'`);
        if (left === 0) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(await proposals(fine)).toEqual([]);
      expect(await proposals(low)).toHaveLength(LOW); // once each, even though every job ran
    } finally {
      await back.close();
      process.env.JOBS_ENABLED = 'false';
    }
  }, 180_000);
});
