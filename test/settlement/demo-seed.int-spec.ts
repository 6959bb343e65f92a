import { runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { createTestApp, TestApp } from '../support/test-app';

/** The demo data set: 2026Q2 paid, 2026Q3 approved and exported, adjustments and one open inquiry. */
describe('settlement demo seed', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('loads settled quarters after the other modules seeded theirs', async () => {
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
    const batches = await t.db.query(`SELECT period, kind, status FROM settlement_batch ORDER BY period`);
    expect(batches).toEqual([{ period: '2026Q2', kind: 'regular', status: 'paid' }, { period: '2026Q3', kind: 'regular', status: 'exported' }]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM settlement_inquiry WHERE status = 'open'`);
    expect(n).toBe(1);
    const [{ applied }] = await t.db.query(`SELECT count(*)::int AS applied FROM settlement_adjustment WHERE applied_in_batch_id IS NOT NULL`);
    expect(applied).toBeGreaterThanOrEqual(2);
    const [{ bad }] = await t.db.query(`SELECT count(*)::int AS bad FROM settlement_line WHERE base_pay + quality_pay <> total_formula`);
    expect(bad).toBe(0);
  }, 120_000);
});
