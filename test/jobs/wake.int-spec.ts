import { JobQueue } from '../../src/core/jobs/job-queue.service';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Work enqueued by a process starts at once on that process's worker, not at the next poll: with a 60 s polling
 * interval, both a plain enqueue and one inside a transaction finish long before the next poll would come.
 */
describe('durable jobs: work enqueued here starts without waiting for the next poll', () => {
  let t: TestApp;
  const ran: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ JOBS_POLL_SECONDS: '60' });
    const jobs = t.get(JobQueue);
    jobs.define<{ tag: string }>({ name: 'test.wake', handle: async (d) => { ran.push(d.tag); } });
    await jobs.ready('test.wake');
    await new Promise((r) => setTimeout(r, 1_500)); // the worker's first fetch (at start) is over: the next is 60 s away
  });
  afterAll(() => t?.close());

  async function waitFor(tag: string): Promise<boolean> {
    const end = Date.now() + 15_000;
    while (Date.now() < end && !ran.includes(tag)) await new Promise((r) => setTimeout(r, 50));
    return ran.includes(tag);
  }

  it('a plain enqueue runs at once', async () => {
    await t.get(JobQueue).enqueue('test.wake', { tag: 'plain' });
    expect(await waitFor('plain')).toBe(true);
  }, 30_000);

  it('an enqueue inside a transaction runs once the transaction has committed', async () => {
    await t.db.transaction(async (m) => { await t.get(JobQueue).enqueue('test.wake', { tag: 'in-transaction' }, { manager: m }); });
    expect(await waitFor('in-transaction')).toBe(true);
  }, 30_000);
});
