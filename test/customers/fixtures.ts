import { TestApp } from '../support/test-app';

let seq = 0;

/** Inserts a customer held by a partner from `from` (tests only: direct SQL into the customers tables). */
export async function insertCustomer(t: TestApp, o: { partnerId?: number | null; stage?: string; cls?: string; region?: string; from?: string; code?: string } = {}) {
  const code = o.code ?? `TC-${process.pid}-${++seq}`;
  const [c] = await t.db.query(
    `INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ($1, $2, 'mining', $3, $4, $5) RETURNING id, code`,
    [code, `Customer ${code}`, o.region ?? '贵阳市', o.cls ?? 'B', o.stage ?? 'development']);
  await t.db.query(`INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, reason) VALUES ($1, NULL, $2, $3, 'fixture')`,
    [c.id, o.stage ?? 'development', o.from ?? '2025-01-01']);
  if (o.partnerId) {
    await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, $3, 'fixture')`, [c.id, o.partnerId, o.from ?? '2025-01-01']);
  }
  return c as { id: number; code: string };
}
