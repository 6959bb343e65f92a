import { PreparedQueries, statementName } from './prepared-queries';

describe('PreparedQueries', () => {
  const fakePool = () => {
    const calls: unknown[] = [];
    return { calls, pool: { query: async (q: unknown) => { calls.push(q); return { rows: [{ ok: 1 }] }; } } as never };
  };

  it('names each distinct text once and reuses the name', async () => {
    const { calls, pool } = fakePool();
    const q = new PreparedQueries(pool, true);
    await q.rows('SELECT $1', [1]);
    await q.rows('SELECT $1', [2]);
    await q.rows('SELECT $1 + 1', [3]);
    const names = (calls as { name?: string }[]).map((c) => c.name);
    expect(names[0]).toBe(names[1]);
    expect(names[2]).not.toBe(names[0]);
    expect(names[0]).toBe(statementName('SELECT $1'));
  });

  it('runs unnamed where named statements are off (PGlite)', async () => {
    const { calls, pool } = fakePool();
    expect(await new PreparedQueries(pool, false).asPool().query('SELECT 1', [])).toEqual({ rows: [{ ok: 1 }] });
    expect(calls).toEqual([{ text: 'SELECT 1', values: [] }]);
  });

  it('keeps names inside PostgreSQL\'s 63-byte limit', () => {
    expect(statementName('x'.repeat(10_000)).length).toBeLessThanOrEqual(63);
  });
});
