import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #17 "master data people can maintain": the partner's address and contract start date, and field-by-field change history of partners
 * and customers (who, when, field, old → new, reason). A customer's class change is a customer_change row of field
 * customer_class with its reason.
 */
export class MasterData1764920000000 implements MigrationInterface {
  name = 'MasterData1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE partner ADD COLUMN contract_start_on date NULL, ADD COLUMN address varchar(300) NOT NULL DEFAULT ''`);
    await q.query(`
      CREATE TABLE partner_change (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        partner_id  integer NOT NULL REFERENCES partner(id),
        field       varchar(40) NOT NULL,
        old_value   text NULL,
        new_value   text NULL,
        reason      text NULL,
        changed_by  integer NULL REFERENCES user_account(id),
        changed_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX partner_change_partner_idx ON partner_change (partner_id, changed_at DESC)`);
    await q.query(`
      CREATE TABLE customer_change (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id  integer NOT NULL REFERENCES customer(id),
        field        varchar(40) NOT NULL,
        old_value    text NULL,
        new_value    text NULL,
        reason       text NULL,
        changed_by   integer NULL REFERENCES user_account(id),
        changed_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX customer_change_customer_idx ON customer_change (customer_id, changed_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_change`);
    await q.query(`DROP TABLE partner_change`);
    await q.query(`ALTER TABLE partner DROP COLUMN contract_start_on, DROP COLUMN address`);
  }
}
