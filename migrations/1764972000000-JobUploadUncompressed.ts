import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An uploaded file waits in job_upload only until its job has run (then it is deleted): compressing it on the way in
 * and decompressing it on the way out cost more than its stay is worth — 50 ms + 60 ms of a 7 MB records CSV's
 * 2 s import (#13). EXTERNAL keeps large values out of line, uncompressed.
 */
export class JobUploadUncompressed1764972000000 implements MigrationInterface {
  name = 'JobUploadUncompressed1764972000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_upload ALTER COLUMN content SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_upload ALTER COLUMN content SET STORAGE EXTENDED`);
  }
}
