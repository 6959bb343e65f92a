import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { assertSha256, BlobStore } from './blob-store';

/** What `STORAGE_URL` says: `s3://bucket/optional/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true`. */
export interface S3Location { bucket: string; prefix: string; endpoint?: string; region: string; forcePathStyle: boolean }

export function parseStorageUrl(url: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[^?]*)?(\?.*)?$/.exec(url.trim());
  if (!m) throw new Error('STORAGE_URL must look like s3://bucket[/prefix][?endpoint=…&region=…&forcePathStyle=true]');
  const q = new URLSearchParams(m[3]?.slice(1) ?? '');
  const endpoint = q.get('endpoint') ?? undefined;
  if (endpoint && !/^https?:\/\/[^\s/]+/.test(endpoint)) throw new Error('STORAGE_URL: endpoint must be an http(s) URL');
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return {
    bucket: m[1], prefix: prefix ? `${prefix}/` : '', endpoint,
    region: q.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
    // MinIO and most self-hosted stores want path-style URLs (http://host:9000/bucket/key)
    forcePathStyle: (q.get('forcePathStyle') ?? (endpoint ? 'true' : 'false')) === 'true',
  };
}

/**
 * Blobs in S3-compatible object storage (AWS S3, MinIO, …), key `<prefix><sha256>`. Credentials come from the AWS
 * SDK's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role) unless passed in.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;

  constructor(readonly location: S3Location, extra: Partial<S3ClientConfig> = {}) {
    this.client = new S3Client({
      region: location.region, endpoint: location.endpoint, forcePathStyle: location.forcePathStyle,
      // checksums only where S3 requires them: older S3-compatible servers refuse the newer flexible-checksum headers
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3, ...extra,
    });
  }

  keyOf(sha256: string): string {
    assertSha256(sha256);
    return `${this.location.prefix}${sha256}`;
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (e as Error).name === 'NotFound' || (e as Error).name === 'NoSuchKey') return false;
      throw e;
    }
  }

  async put(sha256: string, data: Buffer, mimeType: string): Promise<void> {
    if (await this.exists(sha256)) return;
    await this.client.send(new PutObjectCommand({
      Bucket: this.location.bucket, Key: this.keyOf(sha256), Body: data, ContentType: mimeType, ContentLength: data.length,
      Metadata: { sha256 },
    }));
  }

  async open(sha256: string): Promise<Readable> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(sha256) }));
    if (!out.Body) throw new Error(`blob ${sha256} has no body`);
    return out.Body as Readable;
  }
}
