import { ChildProcess } from 'node:child_process';

export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as { __PGLITE__?: ChildProcess }).__PGLITE__;
  if (!child) return;
  if (child.exitCode === null) {
    await new Promise<void>((resolve) => {
      // a referenced timer: the child's handles are unref'd, so without it node would quit here with exit code 0,
      // before jest reports the result (a failed run would look green)
      const timer = setTimeout(resolve, 5000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    });
  }
  child.stdout?.destroy();
  if (child.connected) child.disconnect();
}
