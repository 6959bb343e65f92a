import * as fs from 'node:fs';

/**
 * Captures everything the process writes to stdout/stderr while active: process.stdout.write (console, Nest) and
 * fs.write/fs.writeSync on fds 1 and 2 (pino's sonic-boom writes to the file descriptor directly).
 * Nothing is passed through, so an info-level app stays quiet in the test output.
 */
export class OutputCapture {
  private chunks: string[] = [];
  private restoreFns: (() => void)[] = [];

  start(): void {
    const push = (c: unknown) => this.chunks.push(Buffer.isBuffer(c) ? c.toString('utf8') : typeof c === 'string' ? c : c instanceof Uint8Array ? Buffer.from(c).toString('utf8') : String(c));
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        push(chunk);
        const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        cb?.();
        return true;
      }) as typeof stream.write;
      this.restoreFns.push(() => { stream.write = original; });
    }
    const mutableFs = fs as unknown as Record<string, unknown>;
    const originalWriteSync = fs.writeSync;
    const originalWrite = fs.write;
    mutableFs.writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 || fd === 2) {
        push(data);
        return typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).byteLength;
      }
      return (originalWriteSync as (...a: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync;
    mutableFs.write = ((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 || fd === 2) {
        push(data);
        const cb = rest.find((r) => typeof r === 'function') as ((e: null, n: number) => void) | undefined;
        const n = typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).byteLength;
        if (cb) process.nextTick(() => cb(null, n));
        return;
      }
      return (originalWrite as (...a: unknown[]) => void)(fd, data, ...rest);
    }) as typeof fs.write;
    this.restoreFns.push(() => { mutableFs.writeSync = originalWriteSync; mutableFs.write = originalWrite; });
  }

  text(): string {
    return this.chunks.join('');
  }

  clear(): void {
    this.chunks = [];
  }

  stop(): void {
    for (const f of this.restoreFns.reverse()) f();
    this.restoreFns = [];
  }
}
