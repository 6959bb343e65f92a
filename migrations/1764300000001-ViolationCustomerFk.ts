import { MigrationInterface, QueryRunner } from 'typeorm';

/** A violation that names a customer must name an existing one. */
export class ViolationCustomerFk1764300000001 implements MigrationInterface {
  name = 'ViolationCustomerFk1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE violation ADD CONSTRAINT violation_customer_fk FOREIGN KEY (customer_id) REFERENCES customer(id)`);
    await q.query(`CREATE INDEX violation_customer_idx ON violation (customer_id) WHERE customer_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS violation_customer_idx`);
    await q.query(`ALTER TABLE violation DROP CONSTRAINT IF EXISTS violation_customer_fk`);
  }
}
