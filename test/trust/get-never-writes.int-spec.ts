import { runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { createTestApp, TestApp } from '../support/test-app';

/** Reads never write business rows (issue #14): who read what goes to the request log, not the audit table. */
describe('a GET never writes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
  });
  afterAll(() => t?.close());

  it('downloading the control totals of an exported batch adds no audit entry', async () => {
    const [batch] = await t.db.query(`SELECT id FROM settlement_batch WHERE status IN ('exported', 'paid') ORDER BY id LIMIT 1`);
    const finance = await t.loginAs('finance');
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n as number;
    const before = await count();
    for (let i = 0; i < 2; i++) {
      const res = await finance.get(`/settlement/batches/${batch.id}/control.csv`);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(new RegExp(`^\\uFEFFbatch_id,period,line_count,sum_total_pay\\n${batch.id},`));
    }
    expect(await count()).toBe(before);
  });
});
