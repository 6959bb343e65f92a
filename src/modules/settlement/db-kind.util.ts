export { isPglite } from '../../core/database/db-kind.util';
import { QueryRunner } from 'typeorm';

/** Column names of a table in the current schema ([] when the table does not exist yet, e.g. another module's). */
export async function tableColumns(qr: Pick<QueryRunner, 'query'>, table: string): Promise<string[]> {
  const rows: { column_name: string }[] = await qr.query(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, [table]);
  return rows.map((r) => r.column_name);
}
