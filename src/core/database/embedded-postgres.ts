import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../paths';

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WASM) persisted on disk and served over
 * the PostgreSQL wire protocol on a loopback port, so the ordinary `pg` driver, TypeORM migrations and
 * real transactions work unchanged. We do not use a TypeORM driver shim (typeorm-pglite) because it
 * shares one PGlite session between callers: one request's ROLLBACK can undo another's committed insert.
 * The socket server gives each pooled connection its own protocol session and queues them.
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const release = takeLock(dir);
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dir);
  // maxConnections must cover the pg pool, or pooled connections get terminated.
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections });
  // one connection's extended-protocol cycle is never interleaved with another's (see the file for why)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(join(PROJECT_ROOT, 'src', 'core', 'database', 'pglite-protocol-queue.cjs')) as { serializeProtocolCycles(s: unknown): void }).serializeProtocolCycles(server);
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      release();
    },
  };
}

/** Two processes on one PGlite directory corrupt it: refuse to start while another live process holds it. */
function takeLock(dir: string): () => void {
  const file = join(dir, '..', `${dir.split(/[\\/]/).pop()}.lock`);
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`The embedded database in ${dir} is in use by process ${pid}. Stop it first (or set DATABASE_URL).`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
