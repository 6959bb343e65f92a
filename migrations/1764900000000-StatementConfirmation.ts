import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #16, paying and being paid: the partner confirms a statement line (对账确认: who, when) within the inquiry
 * window; marking paid records the payment reference and date per line (a batch may be paid line by line).
 */
export class StatementConfirmation1764900000000 implements MigrationInterface {
  name = 'StatementConfirmation1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE settlement_line
        ADD COLUMN confirmed_by integer NULL REFERENCES user_account(id),
        ADD COLUMN confirmed_at timestamptz NULL,
        ADD COLUMN payment_reference text NULL,
        ADD COLUMN paid_on date NULL,
        ADD COLUMN paid_by integer NULL REFERENCES user_account(id),
        ADD COLUMN paid_at timestamptz NULL`);
    // lines of batches already paid as a whole carry the batch's reference and date (business date: the default zone)
    await q.query(`
      UPDATE settlement_line l SET payment_reference = b.paid_comment, paid_at = b.paid_at, paid_by = b.paid_by,
             paid_on = (b.paid_at AT TIME ZONE 'Asia/Shanghai')::date
        FROM settlement_batch b WHERE b.id = l.batch_id AND b.status = 'paid'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE settlement_line DROP COLUMN confirmed_by, DROP COLUMN confirmed_at, DROP COLUMN payment_reference,
      DROP COLUMN paid_on, DROP COLUMN paid_by, DROP COLUMN paid_at`);
  }
}
