import './core/i18n/business-time-zone';
import cluster from 'node:cluster';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/**
 * Several portal processes on one port (node's cluster module): the primary applies the migrations once, then forks
 * WEB_CONCURRENCY workers (default: the number of CPUs) and replaces any that dies. Everything the processes share
 * lives in PostgreSQL (sessions, CSRF secrets, login throttles, jobs), so any worker can serve any request.
 * The embedded PGlite database belongs to one process: a cluster needs DATABASE_URL.
 */
function main(): void {
  if (!cluster.isPrimary) {
    require('./main');
    return;
  }
  if (!process.env.DATABASE_URL) {
    console.error('start:cluster needs DATABASE_URL (PostgreSQL): the embedded database serves one process only. Use `npm start` without it.');
    process.exit(1);
  }
  const n = Math.max(1, Number(process.env.WEB_CONCURRENCY) || availableParallelism());
  if (process.env.RUN_MIGRATIONS_ON_START !== 'false') {
    const r = spawnSync(process.execPath, [join(__dirname, 'cli.js'), 'migrate'], { stdio: 'inherit', env: process.env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  let stopping = false;
  // only the first worker may create the first admin from ADMIN_USERNAME/ADMIN_PASSWORD (no race between workers)
  const fork = (first = false) => {
    const env: NodeJS.ProcessEnv = { ...process.env, RUN_MIGRATIONS_ON_START: 'false' };
    if (!first) { delete env.ADMIN_USERNAME; delete env.ADMIN_PASSWORD; }
    return cluster.fork(env);
  };
  for (let i = 0; i < n; i++) fork(i === 0);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`portal worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
    setTimeout(() => fork(), 1000);
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`Partner Portal cluster: ${n} worker process(es)`);
}

main();
