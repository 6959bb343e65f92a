import { MigrationInterface, QueryRunner } from 'typeorm';

/** A user's saved language: the first thing the portal looks at when it chooses the language of a page. */
export class UserLocale1764600000000 implements MigrationInterface {
  name = 'UserLocale1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_account ADD COLUMN locale varchar(8) CHECK (locale IN ('zh-CN', 'en'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_account DROP COLUMN locale`);
  }
}
