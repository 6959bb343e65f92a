import PgBoss from 'pg-boss';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable job queue (pg-boss 10) lives in the portal's own database, schema `pgboss`, created here from the
 * library's own construction plan so that the schema is made by a migration like every other table (pg-boss itself
 * is started with migrate: false). `job_progress` holds the progress a long job reports (rows done of total), which
 * the Jobs page and the CLI show.
 */
export class JobQueue1764700000000 implements MigrationInterface {
  name = 'JobQueue1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(PgBoss.getConstructionPlans('pgboss'));
    await q.query(`
      CREATE TABLE job_progress (
        job_id      uuid PRIMARY KEY,
        queue       text NOT NULL,
        done        bigint NOT NULL DEFAULT 0,
        total       bigint,
        note        text,
        result      jsonb,
        created_by  integer REFERENCES user_account(id),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX job_progress_created_by_idx ON job_progress (created_by, updated_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_progress`);
    await q.query(`DROP SCHEMA pgboss CASCADE`);
  }
}
