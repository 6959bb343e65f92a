/** PGlite (embedded, WASM) answers version() with "PGlite"; its socket server cannot run COPY FROM STDIN. */
export async function isPglite(qr: { query(sql: string): Promise<{ v: unknown }[]> }): Promise<boolean> {
  const [{ v }] = await qr.query(`SELECT version() AS v`);
  return /pglite|emscripten|wasm/i.test(String(v));
}
