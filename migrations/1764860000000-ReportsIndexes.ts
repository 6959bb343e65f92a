import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports and dashboards (#18): the channel manager's overdue heat map ranks partners by their open items past due
 * on every home page; a covering partial index lets PostgreSQL count them from the index alone (no heap visits for
 * the hundreds of thousands of items of a quarter).
 */
export class ReportsIndexes1764860000000 implements MigrationInterface {
  name = 'ReportsIndexes1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS checklist_item_open_due_cover_idx ON checklist_item (due_date) INCLUDE (partner_id) WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS checklist_item_open_due_cover_idx`);
  }
}
