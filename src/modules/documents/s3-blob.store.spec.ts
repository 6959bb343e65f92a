import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { parseStorageUrl, S3BlobStore } from './s3-blob.store';

/** A tiny fake of the S3 REST calls the adapter makes (path-style HEAD/PUT/GET), recording every request. */
function fakeS3(): Promise<{ server: Server; url: string; requests: { method: string; path: string; headers: IncomingMessage['headers'] }[]; objects: Map<string, Buffer> }> {
  const objects = new Map<string, Buffer>();
  const requests: { method: string; path: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0]);
      requests.push({ method: req.method!, path, headers: req.headers });
      const obj = objects.get(path);
      if (req.method === 'PUT') { objects.set(path, Buffer.concat(chunks)); res.writeHead(200, { ETag: '"x"' }).end(); return; }
      if (!obj) { res.writeHead(404, { 'Content-Type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code></Error>'); return; }
      res.writeHead(200, { 'Content-Length': obj.length, 'Content-Type': 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : obj);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, objects })));
}

describe('S3 blob store', () => {
  it('reads STORAGE_URL: bucket, prefix, endpoint, path style for MinIO', () => {
    expect(parseStorageUrl('s3://portal-docs/prod/files?endpoint=http://127.0.0.1:9000&region=cn-north-1')).toEqual({
      bucket: 'portal-docs', prefix: 'prod/files/', endpoint: 'http://127.0.0.1:9000', region: 'cn-north-1', forcePathStyle: true,
    });
    expect(parseStorageUrl('s3://portal-docs')).toMatchObject({ bucket: 'portal-docs', prefix: '', endpoint: undefined, forcePathStyle: false });
    expect(() => parseStorageUrl('http://x')).toThrow(/STORAGE_URL/);
  });

  it('puts a blob once under its hash (signed, with its type) and reads it back', async () => {
    const s3 = await fakeS3();
    try {
      const store = new S3BlobStore(parseStorageUrl(`s3://docs/portal?endpoint=${s3.url}`), { credentials: { accessKeyId: 'test', secretAccessKey: 'test-secret' } });
      const data = Buffer.from('%PDF-1.4 发票');
      const sha = createHash('sha256').update(data).digest('hex');
      await store.put(sha, data, 'application/pdf');
      await store.put(sha, data, 'application/pdf'); // already there: HEAD only
      const puts = s3.requests.filter((r) => r.method === 'PUT');
      expect(puts).toHaveLength(1);
      expect(puts[0].path).toBe(`/docs/portal/${sha}`);
      expect(puts[0].headers['content-type']).toBe('application/pdf');
      expect(String(puts[0].headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
      expect(s3.objects.get(`/docs/portal/${sha}`)).toEqual(data);
      expect(await store.exists(sha)).toBe(true);
      expect(await store.exists('0'.repeat(64))).toBe(false);
      const chunks: Buffer[] = [];
      for await (const c of await store.open(sha)) chunks.push(Buffer.from(c));
      expect(Buffer.concat(chunks)).toEqual(data);
      expect(() => store.keyOf('../etc')).toThrow(/SHA-256/);
    } finally {
      s3.server.close();
    }
  });
});
