import { Client } from 'pg';
import { computePay } from '../../src/modules/settlement/pay-formula.util';
import { PAY_COLUMNS_FROM_PAY_IN } from '../../src/modules/settlement/queries/pay-formula.sql';
import { testDatabaseUrl } from '../support/test-app';

/** The batch's SQL formula (the very fragment the INSERT uses) equals the pure function on 10,000 random partners. */
describe('settlement formula: SQL path == pure function', () => {
  let c: Client;
  beforeAll(async () => {
    c = new Client({ connectionString: testDatabaseUrl() });
    await c.connect();
  });
  afterAll(() => c?.end());

  it('PostgreSQL round(numeric, 2) rounds ties away from zero, like round2', async () => {
    const { rows: [r] } = await c.query(`SELECT round(0.125::numeric, 2)::text a, round(-0.125::numeric, 2)::text b, round(2.675::numeric, 2)::text c, round(1.00 * 895.5 / 900, 2)::text d`);
    expect(r).toEqual({ a: '0.13', b: '-0.13', c: '2.68', d: '1.00' });
  });

  it('gives identical columns for 10,000 random partners (ties, negatives, Y ≥ 90, overrides, huge amounts)', async () => {
    let seed = 20260925;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 10_000;
    const ids: number[] = [], accrued: string[] = [], ys: (string | null)[] = [], adj: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(i + 1);
      const scale = [100, 10_000, 1_000_000, 100_000_000_000][Math.floor(rnd() * 4)];
      let cents = Math.floor(rnd() * scale * 100) * (rnd() < 0.1 ? -1 : 1);
      if (i % 50 === 0) cents = 5 + 10 * Math.floor(rnd() * 1000); // x.x5 → ×0.9 gives a tie at the third decimal
      accrued.push((cents / 100).toFixed(2));
      const r = rnd();
      ys.push(r < 0.05 ? null : r < 0.25 ? (90 + Math.floor(rnd() * 1001) / 100).toFixed(2) : (Math.floor(rnd() * 9000) / 100).toFixed(2));
      adj.push(rnd() < 0.3 ? (-Math.floor(rnd() * 10_000_000) / 100).toFixed(2) : '0.00');
    }
    ys[1] = '89.99'; ys[2] = '90.00'; ys[3] = '0.00'; ys[4] = '100.00'; accrued[5] = '0.00'; accrued[6] = '1.00'; ys[6] = '85.50';
    const { rows } = await c.query(`
      WITH pay_in AS (SELECT * FROM unnest($1::int[], $2::numeric(16,2)[], $3::numeric(5,2)[], $4::numeric(16,2)[]) AS t(partner_id, accrued, score_y, adjustments))
      SELECT partner_id, base_pay::text, quality_pay::text, total_formula::text, total_pay::text, carry_forward::text, adjustments::text
        FROM (${PAY_COLUMNS_FROM_PAY_IN}) x ORDER BY partner_id`, [ids, accrued, ys, adj]);
    expect(rows).toHaveLength(n);
    const fix = (v: string) => Number(v) === 0 ? '0.00' : v; // SQL prints 0 for CASE ... 0 branches
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      const js = computePay({ accrued: accrued[i], scoreY: ys[i], adjustments: adj[i] });
      const sql = rows[i];
      const same = fix(sql.base_pay) === fix(js.basePay) && fix(sql.quality_pay) === fix(js.qualityPay) && fix(sql.total_formula) === fix(js.totalFormula)
        && fix(sql.total_pay) === fix(js.totalPay) && fix(sql.carry_forward) === fix(js.carryForward) && fix(sql.adjustments) === fix(js.adjustments);
      if (!same && mismatches++ < 5) console.log('mismatch', { accrued: accrued[i], y: ys[i], adj: adj[i], js, sql });
    }
    expect(mismatches).toBe(0);
  });
});
