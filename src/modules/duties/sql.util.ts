import { EntityManager } from 'typeorm';

/** Runs a data-changing statement wrapped as `WITH x AS (<stmt> RETURNING 1) SELECT count(*)`, so the count is portable. */
export async function countChanged(m: EntityManager, statementReturning: string, params: unknown[]): Promise<number> {
  const [{ n }] = await m.query(`WITH changed AS (${statementReturning}) SELECT count(*)::int AS n FROM changed`, params);
  return n;
}

/** Rows a data-changing statement touched, from the command's own count: nothing is returned or materialised,
 *  which matters for statements over a million rows (checklist generation). */
export async function affectedRows(m: EntityManager, statement: string, params: unknown[]): Promise<number> {
  const qr = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    return ((await qr.query(statement, params, true)) as { affected?: number }).affected ?? 0;
  } finally {
    if (!m.queryRunner) await qr.release();
  }
}
