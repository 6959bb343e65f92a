import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files uploaded for a background job (imports): kept in the database, which is all that several portal hosts share,
 * so whichever process runs the job can read the file. A row is deleted when its job finishes.
 */
export class JobUpload1764800000000 implements MigrationInterface {
  name = 'JobUpload1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_upload (
        id          bigserial PRIMARY KEY,
        file_name   text NOT NULL,
        size_bytes  bigint NOT NULL,
        content     bytea NOT NULL,
        created_by  integer REFERENCES user_account(id),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX job_upload_created_at_idx ON job_upload (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_upload`);
  }
}
