import { STATEMENT_REFERENCES } from '../../migrations/1764970000000-StatementLevelReferences';
import { createTestApp, onRealPostgres, TestApp } from '../support/test-app';

/**
 * Accrual lines and service records check their references once per statement (a trigger over the statement's new
 * rows) instead of by per-row foreign keys: the same guarantees, tested here on both databases — a missing partner,
 * import, customer or user is refused with PostgreSQL's foreign-key error, a referenced row cannot be deleted or
 * renumbered, and an unreferenced one can.
 */
describe('statement-level references of the bulk tables', () => {
  let t: TestApp;
  let partnerId: number;
  let importId: number;
  let customerId: number;
  let userId: number;

  beforeAll(async () => {
    t = await createTestApp();
    partnerId = (await t.createPartner()).id;
    userId = (await t.createUser('finance')).id;
    [{ id: importId }] = await t.db.query(`INSERT INTO accrual_import (period, file_name, line_count, total_amount) VALUES ('2026Q3', 'refs', 0, 0) RETURNING id`);
    [{ id: customerId }] = await t.db.query(`INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ('REF-C1', 'C1', 'retail', '贵阳市', 'B', 'maturity') RETURNING id`);
  });
  afterAll(() => t?.close());

  const line = (ref: string, partner: number, imp = importId) => t.db.query(
    `INSERT INTO accrual_line (import_id, period, row_no, partner_id, customer_code, product, accrual_date, amount, reference)
     VALUES ($1, '2026Q3', 1, $2, 'C', 'IoT', '2026-08-01', 10, $3) RETURNING id`, [imp, partner, ref]);
  const record = (cols: { partner?: number | null; customer?: number; createdBy?: number | null; manager?: number | null }) => t.db.query(
    `INSERT INTO service_record (partner_id, manager_user_id, customer_id, period, record_type, occurred_at, description, created_by)
     VALUES ($1, $2, $3, '2026Q3', 'visit', '2026-08-01T09:00:00+08:00', 'refs', $4) RETURNING id`,
    [cols.partner === undefined ? partnerId : cols.partner, cols.manager ?? null, cols.customer ?? customerId, cols.createdBy ?? null]);

  it('replaces exactly the per-row foreign keys it lists', async () => {
    const fks: { name: string }[] = await t.db.query(
      `SELECT conname AS name FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('accrual_line'::regclass, 'service_record'::regclass)`);
    expect(fks.map((f) => f.name)).toEqual([]);
    expect(STATEMENT_REFERENCES).toHaveLength(6);
  });

  it('accepts lines and records whose references exist', async () => {
    await expect(line('REF-OK-1', partnerId)).resolves.toHaveLength(1);
    await expect(record({ createdBy: userId })).resolves.toHaveLength(1);
    await expect(record({ partner: null, manager: userId })).resolves.toHaveLength(1);
  });

  it.each([
    ['an unknown partner on a line', () => line('REF-BAD-1', 987654), 'accrual_line_partner_id_fkey', 'Key (partner_id)=(987654) is not present in table "partner".'],
    ['an unknown import on a line', () => line('REF-BAD-2', partnerId, 987654), 'accrual_line_import_id_fkey', 'Key (import_id)=(987654) is not present in table "accrual_import".'],
    ['an unknown partner on a record', () => record({ partner: 987654 }), 'service_record_partner_id_fkey', 'Key (partner_id)=(987654) is not present in table "partner".'],
    ['an unknown customer on a record', () => record({ customer: 987654 }), 'service_record_customer_id_fkey', 'Key (customer_id)=(987654) is not present in table "customer".'],
    ['an unknown author on a record', () => record({ createdBy: 987654 }), 'service_record_created_by_fkey', 'Key (created_by)=(987654) is not present in table "user_account".'],
    ['an unknown manager on a record', () => record({ partner: null, manager: 987654 }), 'service_record_manager_user_id_fkey', 'Key (manager_user_id)=(987654) is not present in table "user_account".'],
  ])('refuses %s with the foreign-key error and inserts nothing', async (_what, insert, constraint, detail) => {
    const before = await counts();
    const e = await insert().then(() => null, (err: { driverError?: { code?: string; constraint?: string; detail?: string } }) => err.driverError ?? err);
    expect(e).toMatchObject({ code: '23503', constraint, detail });
    expect(await counts()).toEqual(before);
  });

  it('refuses a multi-row statement when one of its rows is wrong, and the whole statement is undone', async () => {
    const before = await counts();
    await expect(t.db.query(
      `INSERT INTO accrual_line (import_id, period, row_no, partner_id, customer_code, product, accrual_date, amount, reference)
       SELECT $1, '2026Q3', g, CASE WHEN g = 500 THEN 987654 ELSE $2 END, 'C', 'IoT', '2026-08-01', 1, 'REF-MANY-' || g FROM generate_series(1, 1000) g`,
      [importId, partnerId])).rejects.toThrow(/accrual_line_partner_id_fkey/);
    expect(await counts()).toEqual(before);
  });

  it('checks an update that points a row somewhere that does not exist', async () => {
    const [{ id }] = await line('REF-UPD-1', partnerId);
    await expect(t.db.query(`UPDATE accrual_line SET partner_id = 987654 WHERE id = $1`, [id])).rejects.toThrow(/accrual_line_partner_id_fkey/);
    const [{ id: rid }] = await record({});
    await expect(t.db.query(`UPDATE service_record SET customer_id = 987654 WHERE id = $1`, [rid])).rejects.toThrow(/service_record_customer_id_fkey/);
  });

  it('refuses deleting or renumbering a referenced partner, import, customer or user; an unreferenced one goes', async () => {
    await expect(t.db.query(`DELETE FROM accrual_import WHERE id = $1`, [importId])).rejects.toThrow(/still referenced from table "accrual_line"|accrual_line_import_id_fkey/);
    await expect(t.db.query(`DELETE FROM customer WHERE id = $1`, [customerId])).rejects.toThrow(/service_record_customer_id_fkey/);
    await expect(t.db.query(`UPDATE partner SET id = 987655 WHERE id = $1`, [partnerId])).rejects.toThrow(/_partner_id_fkey/);
    await expect(t.db.query(`DELETE FROM user_account WHERE id = $1`, [userId])).rejects.toThrow(/service_record_(created_by|manager_user_id)_fkey/);
    const [{ id: lonely }] = await t.db.query(`INSERT INTO accrual_import (period, file_name, line_count, total_amount) VALUES ('2026Q3', 'unused', 0, 0) RETURNING id`);
    await t.db.query(`DELETE FROM accrual_import WHERE id = $1`, [lonely]);
    expect(await t.db.query(`SELECT 1 FROM accrual_import WHERE id = $1`, [lonely])).toHaveLength(0);
  });

  // two connections at once: PGlite serves one session at a time, so these run on PostgreSQL (CI runs both databases)
  const concurrently = onRealPostgres() ? it : it.skip;

  concurrently('a delete racing an uncommitted insert waits for it, then is refused', async () => {
    const [{ id: imp }] = await t.db.query(`INSERT INTO accrual_import (period, file_name, line_count, total_amount) VALUES ('2026Q3', 'race-1', 0, 0) RETURNING id`);
    const a = t.db.createQueryRunner();
    const b = t.db.createQueryRunner();
    try {
      await a.startTransaction();
      await a.query(`INSERT INTO accrual_line (import_id, period, row_no, partner_id, customer_code, product, accrual_date, amount, reference)
                     VALUES ($1, '2026Q3', 1, $2, 'C', 'IoT', '2026-08-01', 1, 'REF-RACE-1')`, [imp, partnerId]);
      const deleting = b.query(`DELETE FROM accrual_import WHERE id = $1`, [imp]).then(() => 'deleted', (e: Error) => e.message);
      await new Promise((r) => setTimeout(r, 300));
      await a.commitTransaction();
      expect(await deleting).toMatch(/accrual_line_import_id_fkey/);
    } finally {
      await a.release();
      await b.release();
    }
  });

  concurrently('an insert racing an uncommitted delete waits for it, then is refused', async () => {
    const [{ id: imp }] = await t.db.query(`INSERT INTO accrual_import (period, file_name, line_count, total_amount) VALUES ('2026Q3', 'race-2', 0, 0) RETURNING id`);
    const a = t.db.createQueryRunner();
    const b = t.db.createQueryRunner();
    try {
      await b.startTransaction();
      await b.query(`DELETE FROM accrual_import WHERE id = $1`, [imp]);
      const inserting = a.query(`INSERT INTO accrual_line (import_id, period, row_no, partner_id, customer_code, product, accrual_date, amount, reference)
                                 VALUES ($1, '2026Q3', 1, $2, 'C', 'IoT', '2026-08-01', 1, 'REF-RACE-2')`, [imp, partnerId]).then(() => 'inserted', (e: Error) => e.message);
      await new Promise((r) => setTimeout(r, 300));
      await b.commitTransaction();
      expect(await inserting).toMatch(/accrual_line_import_id_fkey/);
      expect(await t.db.query(`SELECT 1 FROM accrual_line WHERE reference = 'REF-RACE-2'`)).toHaveLength(0);
    } finally {
      await a.release();
      await b.release();
    }
  });

  async function counts(): Promise<{ lines: number; records: number }> {
    const [{ lines, records }] = await t.db.query(`SELECT (SELECT count(*)::int FROM accrual_line) AS lines, (SELECT count(*)::int FROM service_record) AS records`);
    return { lines, records };
  }
});
