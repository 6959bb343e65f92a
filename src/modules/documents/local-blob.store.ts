import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { assertSha256, BlobStore } from './blob-store';

/**
 * Blobs on local disk under `root` (by default beside the embedded database, `./data/documents`), two levels of
 * folders by hash prefix: `ab/cd/abcd…`. Written to a temporary name and renamed, so a reader never sees half a file.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string, webRoots: string[] = []) {
    this.root = resolve(root);
    for (const w of webRoots) {
      const rel = relative(resolve(w), this.root);
      if (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel))) {
        throw new Error(`DOCUMENTS_DIR (${this.root}) must not be inside the web root ${w}`);
      }
    }
  }

  pathOf(sha256: string): string {
    assertSha256(sha256);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  async put(sha256: string, data: Buffer): Promise<void> {
    const path = this.pathOf(sha256);
    if (await this.exists(sha256)) return;
    await mkdir(join(path, '..'), { recursive: true, mode: 0o750 });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data, { mode: 0o640 });
    try {
      await rename(tmp, path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  async open(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    await stat(path); // a missing blob fails here, before any header is sent
    return createReadStream(path);
  }
}
