import { JobQueue } from '../../src/core/jobs/job-queue.service';
import { createTestApp, TestApp } from '../support/test-app';

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('durable jobs (pg-boss in the portal database)', () => {
  let t: TestApp;
  let jobs: JobQueue;
  const ran: string[] = [];
  let failuresLeft = 2;

  beforeAll(async () => {
    t = await createTestApp();
    jobs = t.get(JobQueue);
    jobs.define<{ tag: string }>({ name: 'test.echo', handle: async (d, ctx) => { await ctx.progress(1, 1); ran.push(d.tag); return { echoed: d.tag }; } });
    jobs.define<{ tag: string }>({
      name: 'test.flaky', retryLimit: 3, retryDelay: 1,
      handle: async (d) => { if (failuresLeft-- > 0) throw new Error(`flaky failure ${failuresLeft + 1}`); ran.push(d.tag); },
    });
    jobs.define({ name: 'test.broken', retryLimit: 0, handle: async () => { throw new Error('always broken'); } });
    // defined after start-up: their queues exist before a test enqueues one inside a transaction
    for (const name of ['test.echo', 'test.flaky', 'test.broken']) await jobs.ready(name);
  });
  afterAll(() => t?.close());

  const state = async (id: string) => ((await t.db.query(`SELECT state FROM pgboss.job WHERE id = $1 UNION ALL SELECT state FROM pgboss.archive WHERE id = $1`, [id]))[0]?.state as string | undefined);

  it('a job enqueued in a transaction exists only if the transaction commits, and then runs once', async () => {
    let rolledBackId = '';
    await t.db.transaction(async (m) => {
      rolledBackId = await jobs.enqueue('test.echo', { tag: 'rolled-back' }, { manager: m });
      throw new Error('the change is refused');
    }).catch(() => undefined);
    expect(rolledBackId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await state(rolledBackId)).toBeUndefined();

    let id = '';
    await t.db.transaction(async (m) => { id = await jobs.enqueue('test.echo', { tag: 'committed' }, { manager: m }); });
    expect(await until(() => state(id), (s) => s === 'completed')).toBe('completed');
    expect(ran.filter((x) => x === 'committed')).toEqual(['committed']);
    expect(ran).not.toContain('rolled-back');
    const [p] = await t.db.query(`SELECT done, total, result FROM job_progress WHERE job_id = $1`, [id]);
    expect(p).toMatchObject({ done: '1', total: '1', result: { echoed: 'committed' } });
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const id = await jobs.enqueue('test.flaky', { tag: 'flaky' });
    expect(await until(() => state(id), (s) => s === 'completed', 40_000)).toBe('completed');
    const [row] = await t.db.query(`SELECT retry_count AS n FROM pgboss.job WHERE id = $1`, [id]);
    expect(row.n).toBe(2);
    expect(ran.filter((x) => x === 'flaky')).toEqual(['flaky']);
  }, 60_000);

  it('shows a failed job with its error on the Jobs page, and an admin can retry it', async () => {
    const id = await jobs.enqueue('test.broken', {});
    expect(await until(() => state(id), (s) => s === 'failed')).toBe('failed');
    const admin = await t.loginAs('admin');
    const page = await admin.get('/admin/jobs?state=failed');
    expect(page.status).toBe(200);
    expect(page.text).toContain('always broken');
    expect(page.text).toContain(`/admin/jobs/${id}/retry`);
    const retry = await admin.postForm(`/admin/jobs/${id}/retry`, {});
    expect(retry.status).toBe(303);
    expect(['retry', 'created', 'active', 'failed']).toContain(await state(id));
    const [row] = await t.db.query(`SELECT retry_limit FROM pgboss.job WHERE id = $1`, [id]);
    expect(row).toBeDefined();
    // another user's job answers 404, the starter and admins see it
    const partner = await t.loginAs('partner', { partnerId: (await t.createPartner()).id });
    expect((await partner.getJson(`/api/jobs/${id}`)).status).toBe(404);
    expect((await admin.getJson(`/api/jobs/${id}`)).body).toMatchObject({ id, queue: 'test.broken' });
  });
});
