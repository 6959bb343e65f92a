import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cost analysis at full size (#18): the cost report and the finance home's cost-by-product panel sum each partner's
 * accruals per product of a quarter. Without an index on the period they read all 1,000,000 lines and sorted a
 * quarter's 125,000 (386 ms a quarter); this covering index hands them over already in (period, partner, product)
 * order, index-only (116 ms). An index rather than a summary table: accrual lines change only by imports, and the
 * index is current the moment they commit, with no refresh job to run or wait for.
 */
export class AccrualCostIndex1764960000000 implements MigrationInterface {
  name = 'AccrualCostIndex1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX accrual_line_period_partner_product_idx ON accrual_line (period, partner_id, product) INCLUDE (amount)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS accrual_line_period_partner_product_idx`);
  }
}
