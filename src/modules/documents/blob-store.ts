import { Readable } from 'node:stream';

/**
 * Where the bytes of documents live, content-addressed: a blob's name is the SHA-256 of its bytes, so the same file
 * uploaded twice is stored once, and a blob never changes once written. The `document` table says who uploaded what.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Stores the bytes under their hash; does nothing when that blob is already there. */
  put(sha256: string, data: Buffer, mimeType: string): Promise<void>;
  /** The bytes of a stored blob (throws when missing). */
  open(sha256: string): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
}

export const BLOB_STORE = Symbol('BLOB_STORE');

export function assertSha256(sha: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error('blob name must be a lowercase SHA-256 hex digest');
}
