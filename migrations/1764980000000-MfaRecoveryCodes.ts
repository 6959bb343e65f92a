import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Living with the staff second factor: one-time recovery codes (only a salted hash of each is kept; used_at marks a
 * spent one), and the last accepted TOTP time step per user, so an accepted code cannot be replayed.
 */
export class MfaRecoveryCodes1764980000000 implements MigrationInterface {
  name = 'MfaRecoveryCodes1764980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_account ADD COLUMN totp_last_step bigint`);
    await q.query(`CREATE TABLE mfa_recovery_code (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id integer NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
      salt text NOT NULL,
      code_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      used_at timestamptz
    )`);
    await q.query(`CREATE INDEX mfa_recovery_code_user_idx ON mfa_recovery_code (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mfa_recovery_code`);
    await q.query(`ALTER TABLE user_account DROP COLUMN totp_last_step`);
  }
}
