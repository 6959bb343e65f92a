import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { todayIso } from '../../src/core/period/period.util';
import { LocalBlobStore } from '../../src/modules/documents/local-blob.store';
import { insertCustomer } from '../customers/fixtures';
import { createTestApp, Session, TestApp } from '../support/test-app';

/** Every file under a folder (the local blob store), recursively. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else out.push(p); } };
  try { walk(dir); } catch { /* not created yet */ }
  return out;
}

/** supertest: read any answer as raw bytes. */
const binary = (res: NodeJS.ReadableStream & { setEncoding(e: string): void; on: (...a: never[]) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data' as never, ((c: Buffer) => chunks.push(c)) as never);
  res.on('end' as never, (() => cb(null, Buffer.concat(chunks))) as never);
};

describe('documents: upload, download, access, limits, soft delete, content-addressed store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-docs-'));
  let t: TestApp;
  let p1: { id: number }; let p2: { id: number };
  let s1: Session; let s2: Session; let manager: Session; let finance: Session;
  let recordId: number;
  let png: Buffer;
  const name = '走访签字单 照片（1）.png';

  beforeAll(async () => {
    t = await createTestApp({ DOCUMENTS_DIR: dir, DOCUMENT_LIMITS_MB: 'record_evidence=1' });
    p1 = await t.createPartner();
    p2 = await t.createPartner();
    t.lang = 'zh-CN';
    s1 = await t.loginAs('partner', { partnerId: p1.id });
    s2 = await t.loginAs('partner', { partnerId: p2.id });
    manager = await t.loginAs('channel_manager');
    finance = await t.loginAs('finance');
    const c = await insertCustomer(t, { partnerId: p1.id });
    const rec = await s1.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: `${todayIso()}T00:05:00`, description: '上门走访' });
    expect(rec.status).toBe(201);
    recordId = Number(rec.body.id);
    png = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
  });
  afterAll(() => t?.close());

  const upload = (s: Session, content: Buffer, fileName: string, kind = 'record_evidence', owner = `service_record/${recordId}`) =>
    s.upload(`/documents/on/${owner}`, 'file', content, fileName, { kind }).set('Accept', 'application/json');
  const documentCount = async () => (await t.db.query(`SELECT count(*)::int AS n FROM document`))[0].n as number;

  let docId: number;

  it('the partner uploads evidence on its service record; the manager downloads the same bytes with the Chinese name', async () => {
    const up = await upload(s1, png, name);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ ownerKind: 'service_record', ownerId: recordId, kind: 'record_evidence', originalName: name, mimeType: 'image/png', sizeBytes: png.length, partnerId: p1.id });
    docId = up.body.id;

    const res = await manager.get(`/documents/${docId}`).buffer(true).parse(binary as never);
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, png)).toBe(0);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"/);

    // finance reads records too; the page lists the file with a thumbnail made by the server
    expect((await finance.get(`/documents/${docId}`)).status).toBe(200);
    const page = await manager.get(`/documents/on/service_record/${recordId}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain(name);
    expect(page.text).toContain(`/documents/${docId}/thumbnail`);
    expect(page.text).not.toContain('multipart/form-data'); // the manager adds no evidence to a partner's record
    const thumb = await manager.get(`/documents/${docId}/thumbnail`).buffer(true).parse(binary as never);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(thumb.body as Buffer).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(320);

    const audit = await t.db.query(`SELECT actor_user_id, partner_id, after FROM audit_log WHERE action = 'document.upload' AND entity_id = $1`, [String(docId)]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: s1.user!.id, partner_id: p1.id, after: { name, ownerKind: 'service_record', ownerId: recordId } });
  });

  it('another partner gets 404 for the file, its thumbnail, the list, an upload and a delete; the manager may not add evidence', async () => {
    for (const r of [
      await s2.get(`/documents/${docId}`), await s2.get(`/documents/${docId}/thumbnail`),
      await s2.getJson(`/documents/on/service_record/${recordId}`), await upload(s2, png, 'x.png'),
      await s2.agent.post(`/documents/${docId}/delete`).set('x-csrf-token', s2.csrf).set('Accept', 'application/json'),
    ]) {
      expect(r.status).toBe(404);
      expect(r.text).not.toContain(name);
    }
    expect((await upload(manager, png, 'm.png')).status).toBe(403);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM document WHERE deleted_at IS NULL`))[0].n).toBe(1);
  });

  it('refuses a file whose bytes are not an allowed type, whatever its name, with a translated field error; nothing is stored', async () => {
    const before = { rows: await documentCount(), blobs: filesUnder(dir).length };
    const res = await upload(s1, Buffer.from('MZ\x90\x00 this is a program, not a photo'), '现场照片.png');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
    expect(res.body.errors[0].message).toContain('现场照片.png');
    expect(res.body.errors[0].message).toContain('不是允许的文件类型');
    expect(res.body.errors[0].message).toContain('PDF/JPEG/PNG');
    expect({ rows: await documentCount(), blobs: filesUnder(dir).length }).toEqual(before);
    // the English reader gets English
    const en = await s1.upload(`/documents/on/service_record/${recordId}`, 'file', Buffer.from('plain text'), 'a.pdf', { kind: 'record_evidence' })
      .set('Accept', 'application/json').set('Accept-Language', 'en');
    expect(en.status).toBe(422);
  });

  it('refuses a file over the kind\'s size limit (setting DOCUMENT_LIMITS_MB)', async () => {
    const before = await documentCount();
    const big = Buffer.concat([png, Buffer.alloc(1024 * 1024 + 10, 1)]); // a PNG header, but 1 MB + more: over record_evidence=1
    const res = await upload(s1, big, '大照片.png');
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'file' });
    expect(res.body.errors[0].message).toContain('最大 1.0 MB');
    expect(await documentCount()).toBe(before);
  });

  it('stores the same file twice as one blob, named by its SHA-256, outside the web root', async () => {
    const again = await upload(s1, png, '同一张照片.png');
    expect(again.status).toBe(201);
    const rows = await t.db.query(`SELECT sha256 FROM document WHERE deleted_at IS NULL ORDER BY id`);
    expect(rows).toHaveLength(2);
    expect(rows[0].sha256).toBe(rows[1].sha256);
    const blobs = filesUnder(dir);
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toBe(new LocalBlobStore(dir).pathOf(rows[0].sha256));
    expect(() => new LocalBlobStore(join(process.cwd(), 'views', 'public', 'docs'), [join(process.cwd(), 'views')])).toThrow(/web root/);
  });

  it('soft-deletes with an audit entry: the file is gone for readers, the row and the bytes stay', async () => {
    const del = await s1.agent.post(`/documents/${docId}/delete`).set('x-csrf-token', s1.csrf).set('Accept', 'application/json');
    expect(del.status).toBe(200);
    expect((await manager.get(`/documents/${docId}`)).status).toBe(404);
    const [row] = await t.db.query(`SELECT deleted_at, deleted_by FROM document WHERE id = $1`, [docId]);
    expect(row.deleted_at).not.toBeNull();
    expect(row.deleted_by).toBe(s1.user!.id);
    const audit = await t.db.query(`SELECT actor_user_id, before FROM audit_log WHERE action = 'document.delete' AND entity_id = $1`, [String(docId)]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: s1.user!.id, before: { name } });
    expect(filesUnder(dir)).toHaveLength(1); // still used by the second upload
    const page = await s1.get(`/documents/on/service_record/${recordId}`).set('Accept', 'text/html');
    expect(page.text).not.toContain(name);
    expect(page.text).toContain('同一张照片.png');
  });

  it('staff find the latest documents in one list (partners may not); a record\'s list is JSON for API clients', async () => {
    const page = await manager.get('/documents?q=' + encodeURIComponent('同一张')).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('同一张照片.png');
    expect(page.text).toContain(`/documents/on/service_record/${recordId}`);
    expect((await s1.get('/documents').set('Accept', 'text/html')).status).toBe(403);
    const xlsx = await manager.get('/documents?format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const json = await s1.getJson(`/documents/on/service_record/${recordId}`);
    expect(json.status).toBe(200);
    expect(json.body.canUpload).toEqual(['record_evidence']);
    expect(json.body.documents.map((d: { originalName: string }) => d.originalName)).toEqual(['同一张照片.png']);
  });

  it('violations: the manager adds evidence, the partner its response attachment (PDF); each only its own kind', async () => {
    const [kind] = await t.db.query(`SELECT id FROM violation_kind WHERE active ORDER BY id LIMIT 1`);
    const v = await manager.post('/api/violations', { partnerId: p1.id, kindId: kind.id, occurredOn: todayIso(), description: '未按时上门' });
    expect(v.status).toBe(201);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    expect((await upload(manager, pdf, '违规照片.pdf', 'violation_evidence', `violation/${v.body.id}`)).status).toBe(201);
    expect((await upload(manager, pdf, 'x.pdf', 'violation_response', `violation/${v.body.id}`)).status).toBe(403);
    const resp = await upload(s1, pdf, '申诉说明.pdf', 'violation_response', `violation/${v.body.id}`);
    expect(resp.status).toBe(201);
    expect(resp.body.mimeType).toBe('application/pdf');
    expect((await upload(s2, pdf, 'x.pdf', 'violation_response', `violation/${v.body.id}`)).status).toBe(404);
    const list = await s1.get(`/documents/on/violation/${v.body.id}`).set('Accept', 'text/html');
    expect(list.text).toContain('违规照片.pdf');
    expect(list.text).toContain('申诉说明.pdf');
  });
});
