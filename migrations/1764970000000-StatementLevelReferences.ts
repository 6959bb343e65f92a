import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two bulk tables — accrual lines (1,000,000 a quarter, one import) and service records (a partner's 100,000-row
 * upload) — check their references once per statement instead of once per row (#13). A foreign key runs one lookup
 * and one row lock per inserted row: 6.5 s of a 1,000,000-line import and 1 s of a 100,000-record one. The statement
 * trigger below does the same work set-based over the statement's new rows: it locks the referenced rows FOR KEY SHARE
 * (as a foreign key does, so none can be deleted until the inserting transaction ends), then refuses the statement if
 * any reference is missing, with PostgreSQL's own error code, constraint name and detail text (23503). The referenced
 * tables refuse deleting — or changing the id of — a row that is still referenced, as a foreign key's NO ACTION does.
 * TRUNCATE of a referenced table stays refused by the other, ordinary foreign keys those tables have.
 */
export const STATEMENT_REFERENCES = [
  { table: 'accrual_line', column: 'import_id', parent: 'accrual_import' },
  { table: 'accrual_line', column: 'partner_id', parent: 'partner' },
  { table: 'service_record', column: 'partner_id', parent: 'partner' },
  { table: 'service_record', column: 'customer_id', parent: 'customer' },
  { table: 'service_record', column: 'created_by', parent: 'user_account' },
  { table: 'service_record', column: 'manager_user_id', parent: 'user_account' },
] as const;

const CHECK_NEW_ROWS = `
CREATE FUNCTION check_statement_references() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  cols text[] := ARRAY(SELECT TG_ARGV[i] FROM generate_series(0, TG_NARGS - 1, 2) i);
  refs json;
  k int;
  col text;
  parent text;
  ids bigint[];
  locked bigint;
  missing text;
BEGIN
  -- arguments: pairs of (column, referenced table); new_rows is the statement's transition table.
  -- One pass over the new rows: their distinct combinations of the columns (few: a partner, its customers, one user),
  -- then each column's distinct values from those.
  EXECUTE format('SELECT json_build_array(%s) FROM (SELECT DISTINCT %s FROM new_rows) d',
                 (SELECT string_agg(format('array_agg(DISTINCT d.%I) FILTER (WHERE d.%I IS NOT NULL)', c, c), ', ') FROM unnest(cols) c),
                 (SELECT string_agg(format('%I', c), ', ') FROM unnest(cols) c)) INTO refs;
  FOR k IN 0 .. array_length(cols, 1) - 1 LOOP
    col := cols[k + 1];
    parent := TG_ARGV[2 * k + 1];
    ids := ARRAY(SELECT json_array_elements_text(refs -> k)::bigint WHERE json_typeof(refs -> k) = 'array');
    IF cardinality(ids) > 0 THEN
      -- lock the referenced rows as a foreign key does: none can be deleted until this transaction ends
      EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I p WHERE p.id = ANY($1) ORDER BY p.id FOR KEY SHARE OF p) locked', parent) INTO locked USING ids;
      IF locked < cardinality(ids) THEN
        EXECUTE format('SELECT min(v)::text FROM unnest($1) v WHERE NOT EXISTS (SELECT 1 FROM %I p WHERE p.id = v)', parent) INTO missing USING ids;
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_TABLE_NAME || '_' || col || '_fkey'
          USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_TABLE_NAME || '_' || col || '_fkey', TABLE = TG_TABLE_NAME, COLUMN = col,
                DETAIL = format('Key (%s)=(%s) is not present in table "%s".', col, missing, parent);
      END IF;
    END IF;
  END LOOP;
  RETURN NULL;
END
$fn$`;

const REFUSE_REFERENCED = `
CREATE FUNCTION refuse_removing_referenced() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  i int := 0;
  referenced boolean;
BEGIN
  -- arguments: pairs of (referencing table, column)
  WHILE i < TG_NARGS LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[i], TG_ARGV[i + 1]) INTO referenced USING OLD.id;
    IF referenced THEN
      RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table "%"', TG_TABLE_NAME, TG_ARGV[i] || '_' || TG_ARGV[i + 1] || '_fkey', TG_ARGV[i]
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[i] || '_' || TG_ARGV[i + 1] || '_fkey', TABLE = TG_TABLE_NAME,
              DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', OLD.id, TG_ARGV[i]);
    END IF;
    i := i + 2;
  END LOOP;
  RETURN OLD;
END
$fn$`;

const quote = (s: string) => `'${s}'`;

export class StatementLevelReferences1764970000000 implements MigrationInterface {
  name = 'StatementLevelReferences1764970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(CHECK_NEW_ROWS);
    await q.query(REFUSE_REFERENCED);
    for (const table of new Set(STATEMENT_REFERENCES.map((r) => r.table))) {
      const refs = STATEMENT_REFERENCES.filter((r) => r.table === table);
      for (const r of refs) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_${r.column}_fkey`);
      const args = refs.flatMap((r) => [r.column, r.parent]).map(quote).join(', ');
      // one trigger per event: a trigger with transition tables fires on a single event
      for (const event of ['insert', 'update']) {
        await q.query(`CREATE TRIGGER ${table}_references_${event} AFTER ${event.toUpperCase()} ON ${table} REFERENCING NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION check_statement_references(${args})`);
      }
    }
    for (const parent of new Set(STATEMENT_REFERENCES.map((r) => r.parent))) {
      const args = STATEMENT_REFERENCES.filter((r) => r.parent === parent).flatMap((r) => [r.table, r.column]).map(quote).join(', ');
      await q.query(`CREATE TRIGGER ${parent}_referenced_delete BEFORE DELETE ON ${parent} FOR EACH ROW EXECUTE FUNCTION refuse_removing_referenced(${args})`);
      await q.query(`CREATE TRIGGER ${parent}_referenced_id BEFORE UPDATE OF id ON ${parent} FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION refuse_removing_referenced(${args})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const parent of new Set(STATEMENT_REFERENCES.map((r) => r.parent))) {
      await q.query(`DROP TRIGGER IF EXISTS ${parent}_referenced_delete ON ${parent}`);
      await q.query(`DROP TRIGGER IF EXISTS ${parent}_referenced_id ON ${parent}`);
    }
    for (const table of new Set(STATEMENT_REFERENCES.map((r) => r.table))) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_references_insert ON ${table}`);
      await q.query(`DROP TRIGGER IF EXISTS ${table}_references_update ON ${table}`);
    }
    for (const r of STATEMENT_REFERENCES) {
      await q.query(`ALTER TABLE ${r.table} ADD CONSTRAINT ${r.table}_${r.column}_fkey FOREIGN KEY (${r.column}) REFERENCES ${r.parent}(id)`);
    }
    await q.query(`DROP FUNCTION IF EXISTS check_statement_references()`);
    await q.query(`DROP FUNCTION IF EXISTS refuse_removing_referenced()`);
  }
}
