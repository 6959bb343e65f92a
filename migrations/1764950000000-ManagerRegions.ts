import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channel managers scoped to regions (#17): the admin assigns regions (prefectures; a prefecture covers its counties)
 * to a manager. A manager with no row here is province-level and sees everything. The region list has no code
 * column, so the row points at its id (renames keep the assignment).
 */
export class ManagerRegions1764950000000 implements MigrationInterface {
  name = 'ManagerRegions1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE manager_region (
        user_id     integer NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
        region_id   integer NOT NULL REFERENCES region(id) ON DELETE CASCADE,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        assigned_by integer NULL REFERENCES user_account(id),
        PRIMARY KEY (user_id, region_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS manager_region`);
  }
}
