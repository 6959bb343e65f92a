import { JobQueue } from '../../src/core/jobs/job-queue.service';
import { createTestApp, TestApp } from '../support/test-app';

/** Built-in schedules: overdue-duty alerts daily at DUTY_ALERTS_AT in the business time zone, fired once across processes by pg-boss. */
describe('built-in schedules', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ JOBS_SCHEDULES: 'true', DUTY_ALERTS_AT: '06:30' }); });
  afterAll(() => t?.close());

  it('registers the daily overdue-duty alerts in the business time zone', async () => {
    const rows = await t.db.query(`SELECT name, cron, options FROM pgboss.schedule WHERE name = 'duties.alerts'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].cron).toBe('30 6 * * *');
    expect(rows[0].options.tz).toBe('Asia/Shanghai');
  });

  it('the alerts job, run by hand, records overdue alerts like the CLI command', async () => {
    const jobs = t.get(JobQueue);
    const id = await jobs.enqueue('duties.alerts', {});
    let state = '';
    for (let i = 0; i < 100 && state !== 'completed'; i++) {
      state = (await t.db.query(`SELECT state FROM pgboss.job WHERE id = $1`, [id]))[0]?.state ?? '';
      if (state !== 'completed') await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toBe('completed');
    const [audit] = await t.db.query(`SELECT count(*)::int AS n FROM job_progress WHERE job_id = $1 AND result IS NOT NULL`, [id]);
    expect(audit.n).toBe(1);
  });
});
