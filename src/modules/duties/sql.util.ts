import { EntityManager } from 'typeorm';

/** Runs a data-changing statement wrapped as `WITH x AS (<stmt> RETURNING 1) SELECT count(*)`, so the count is portable. */
export async function countChanged(m: EntityManager, statementReturning: string, params: unknown[]): Promise<number> {
  const [{ n }] = await m.query(`WITH changed AS (${statementReturning}) SELECT count(*)::int AS n FROM changed`, params);
  return n;
}
