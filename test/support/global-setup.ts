import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_TIME_ZONE } from '../../src/core/i18n/business-time-zone';

/**
 * Integration tests run against a real database: TEST_DATABASE_URL (a real PostgreSQL, as in CI) or, when it
 * is not set, an embedded PGlite server started here for the run.
 */
export default async function globalSetup(): Promise<void> {
  // The business time zone for the whole test process, set on the real process before any test code runs: inside a
  // test file process.env is jest's copy, and setting TZ there would not reach Date's local-time methods.
  process.env.TZ ||= DEFAULT_TIME_ZONE;
  if (process.env.TEST_DATABASE_URL) {
    console.log(`\n[tests] database: PostgreSQL at ${process.env.TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}`);
    process.env.TEST_DATABASE_KIND = 'postgres';
    return;
  }
  const child: ChildProcess = fork(join(__dirname, 'pglite-server.js'), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('PGlite test server did not start in 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /READY (\S+)/.exec(chunk.toString());
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`PGlite test server exited with ${code}`)));
  });
  // the server must not keep jest's process alive; teardown stops it
  child.unref();
  (child.stdout as unknown as { unref?: () => void })?.unref?.();
  (child.channel as unknown as { unref?: () => void })?.unref?.();
  (globalThis as { __PGLITE__?: ChildProcess }).__PGLITE__ = child;
  process.env.TEST_DATABASE_URL = url;
  process.env.TEST_DATABASE_KIND = 'pglite';
  console.log(`\n[tests] database: embedded PGlite at ${url}`);
}
