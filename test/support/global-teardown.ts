import { ChildProcess } from 'node:child_process';

export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as { __PGLITE__?: ChildProcess }).__PGLITE__;
  if (!child) return;
  if (child.exitCode === null) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      timer.unref();
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    });
  }
  child.stdout?.destroy();
  if (child.connected) child.disconnect();
}
