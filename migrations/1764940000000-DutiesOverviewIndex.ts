import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fast /duties at full size (#18): the overdue list's default order (due date, partner, customer, item) is this
 * partial index's key, so a page is read from the index (50 rows) instead of sorting every overdue item. It also
 * serves what checklist_item_overdue_idx (due_date) served, so that one goes: one index less to write per tick.
 */
export class DutiesOverviewIndex1764940000000 implements MigrationInterface {
  name = 'DutiesOverviewIndex1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS checklist_item_open_due_order_idx ON checklist_item (due_date, partner_id, customer_id, id) WHERE status = 'open'`);
    await q.query(`DROP INDEX IF EXISTS checklist_item_overdue_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS checklist_item_overdue_idx ON checklist_item (due_date) WHERE status = 'open'`);
    await q.query(`DROP INDEX IF EXISTS checklist_item_open_due_order_idx`);
  }
}
