import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The channel manager as a service channel (#17, seed 003 客户经理+合作伙伴): a manager who holds customers records
 * service work for them like a partner does. A record has exactly one holder: a partner or a manager (user).
 */
export class ManagerServiceRecords1764941000000 implements MigrationInterface {
  name = 'ManagerServiceRecords1764941000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE service_record ALTER COLUMN partner_id DROP NOT NULL`);
    await q.query(`ALTER TABLE service_record ADD COLUMN manager_user_id integer NULL REFERENCES user_account(id)`);
    await q.query(`ALTER TABLE service_record ADD CONSTRAINT service_record_holder_ck CHECK ((partner_id IS NULL) <> (manager_user_id IS NULL))`);
    await q.query(`CREATE INDEX service_record_manager_idx ON service_record (manager_user_id, period, occurred_at) WHERE manager_user_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM service_record WHERE manager_user_id IS NOT NULL`);
    await q.query(`DROP INDEX IF EXISTS service_record_manager_idx`);
    await q.query(`ALTER TABLE service_record DROP CONSTRAINT IF EXISTS service_record_holder_ck`);
    await q.query(`ALTER TABLE service_record DROP COLUMN IF EXISTS manager_user_id`);
    await q.query(`ALTER TABLE service_record ALTER COLUMN partner_id SET NOT NULL`);
  }
}
