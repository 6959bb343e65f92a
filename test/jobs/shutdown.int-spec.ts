import { JobQueue } from '../../src/core/jobs/job-queue.service';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A process asked to stop while a job runs longer than pg-boss's stop timeout: closing waits for the job to write
 * its last result, so nothing runs against a closed pool afterwards (CI once failed on exactly that: an unhandled
 * "reading 'count'" from pg-boss recording a failure on the ended pool, and its worker loop outliving the test file).
 */
describe('durable jobs: stopping the process while a job runs', () => {
  let t: TestApp;
  let wroteLastResult = false;

  beforeAll(async () => {
    t = await createTestApp();
    const jobs = t.get(JobQueue);
    jobs.define({
      name: 'test.slow', retryLimit: 0,
      handle: async (_d, ctx) => {
        await new Promise((r) => setTimeout(r, 6_500)); // longer than the 5 s pg-boss waits for active work
        await ctx.progress(1, 1, 'finished');
        wroteLastResult = true;
      },
    });
    await jobs.ready('test.slow');
  });

  it('close() returns only after the running job has written its result', async () => {
    const jobs = t.get(JobQueue);
    const id = await jobs.enqueue('test.slow', {});
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      const [row] = await t.db.query(`SELECT state FROM pgboss.job WHERE id = $1`, [id]);
      if (row?.state === 'active') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await t.close();
    expect(wroteLastResult).toBe(true);
  }, 60_000);
});
