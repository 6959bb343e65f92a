import { ForbiddenException, Inject, Injectable, NotFoundException, OnModuleInit, UnprocessableEntityException } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { AppConfig } from '../../core/config/app-config.service';
import { BLOB_STORE, BlobStore } from './blob-store';
import { cleanFileName, DocumentKind, effectiveType, isDocumentKind, isImage, KIND_RULES, OwnerKind, parseLimits, typeLabels } from './document-kinds.util';
import { DOCUMENT_OWNER, DocumentOwnerResolver, OwnerAccess } from './document-owner';

export interface DocumentRow {
  id: number; ownerKind: OwnerKind; ownerId: number; partnerId: number | null; kind: DocumentKind; originalName: string;
  sizeBytes: number; mimeType: string; sha256: string; uploadedBy: number | null; uploadedByName: string | null; uploadedAt: Date;
}
export interface UploadedFile { buffer: Buffer; originalname?: string; size?: number }

const SELECT = `SELECT d.id, d.owner_kind AS "ownerKind", d.owner_id::int AS "ownerId", d.partner_id AS "partnerId", d.kind,
  d.original_name AS "originalName", d.size_bytes::int AS "sizeBytes", d.mime_type AS "mimeType", d.sha256,
  d.uploaded_by AS "uploadedBy", u.display_name AS "uploadedByName", d.uploaded_at AS "uploadedAt"
  FROM document d LEFT JOIN user_account u ON u.id = d.uploaded_by`;

/** A refused upload: 422 with the message beside the file input. */
function refuse(message: string, params: Record<string, unknown> = {}): never {
  throw new UnprocessableEntityException({ message, params, field: 'file', errors: [{ field: 'file', message, params }] });
}

/**
 * Documents on records: upload (type from magic bytes, size limit per kind, content-addressed blob), list, open for
 * download, soft delete — each after the owning module said the caller may read the record (404 otherwise).
 */

/** An upload that passed its checks, its bytes stored, waiting for its row. */
export interface CheckedUpload {
  ownerKind: OwnerKind; ownerId: number; partnerId: number | null; kind: DocumentKind; name: string; size: number; mime: string; sha256: string;
}
@Injectable()
export class DocumentsService implements OnModuleInit {
  private readonly owners = new Map<OwnerKind, DocumentOwnerResolver>();
  private readonly limits: Record<DocumentKind, number>;

  constructor(@InjectDataSource() private readonly db: DataSource, @Inject(BLOB_STORE) readonly store: BlobStore,
    private readonly audit: AuditService, private readonly discovery: DiscoveryService, config: AppConfig) {
    this.limits = parseLimits(config.get('DOCUMENT_LIMITS_MB'));
  }

  onModuleInit(): void {
    for (const w of this.discovery.getProviders()) {
      const kind = w.metatype && w.instance ? Reflect.getMetadata(DOCUMENT_OWNER, w.metatype) : undefined;
      if (kind) this.owners.set(kind, w.instance as DocumentOwnerResolver);
    }
  }

  limitOf(kind: DocumentKind): number { return this.limits[kind]; }

  /** What the caller may do with a record's documents (404 when the record is not theirs to read). */
  async access(actor: Actor, ownerKind: OwnerKind, ownerId: number): Promise<OwnerAccess> {
    const owner = this.owners.get(ownerKind);
    if (!owner || !Number.isSafeInteger(ownerId) || ownerId <= 0) throw new NotFoundException('documents:errors.notFound');
    const a = await owner.access(actor, ownerId);
    // belt and braces: a partner user never gets a record of another partner, whatever the owner answered
    if (actor.role === 'partner' && a.partnerId !== actor.partnerId) throw new NotFoundException('documents:errors.notFound');
    return { ...a, canUpload: a.canUpload.filter((k) => KIND_RULES[k].owner === ownerKind) };
  }

  /** The record's current documents, without checking access (the caller checked the record itself). */
  async listUnchecked(ownerKind: OwnerKind, ownerId: number): Promise<(DocumentRow & { image: boolean })[]> {
    const rows: DocumentRow[] = await this.db.query(`${SELECT} WHERE d.owner_kind = $1 AND d.owner_id = $2 AND d.deleted_at IS NULL ORDER BY d.uploaded_at, d.id`, [ownerKind, ownerId]);
    return rows.map((r) => ({ ...r, image: isImage(r.mimeType) }));
  }

  async list(actor: Actor, ownerKind: OwnerKind, ownerId: number) {
    const access = await this.access(actor, ownerKind, ownerId);
    return { access, documents: await this.listUnchecked(ownerKind, ownerId) };
  }

  async upload(actor: Actor, ownerKind: OwnerKind, ownerId: number, kind: unknown, file: UploadedFile | undefined): Promise<DocumentRow> {
    const checked = await this.check(actor, ownerKind, ownerId, kind, file);
    return this.db.transaction((m) => this.record(actor, checked, m));
  }

  /**
   * An upload in two steps, for a caller whose own row must come and go with the document (an invoice): `check` —
   * access, kind, size, type, and the bytes stored — before the caller's transaction (the owner's access check reads on
   * its own connection: inside a transaction that would wait for itself on the embedded database, which serves one
   * session at a time), then `record` inside it.
   */
  async check(actor: Actor, ownerKind: OwnerKind, ownerId: number, kind: unknown, file: UploadedFile | undefined): Promise<CheckedUpload> {
    const access = await this.access(actor, ownerKind, ownerId);
    if (!isDocumentKind(kind) || KIND_RULES[kind].owner !== ownerKind) throw new UnprocessableEntityException({ message: 'documents:errors.badKind', field: 'kind' });
    if (!access.canUpload.includes(kind)) throw new ForbiddenException('documents:errors.mayNotUpload');
    if (!file?.buffer?.length) refuse('documents:errors.chooseFile');
    const size = file.buffer.length;
    if (size > this.limits[kind]) refuse('documents:errors.tooLarge', { size: mb(size), max: mb(this.limits[kind]) });
    const name = cleanFileName(file.originalname);
    const { fileTypeFromBuffer } = await import('file-type');
    const mime = effectiveType(await fileTypeFromBuffer(file.buffer), name);
    if (!mime || !KIND_RULES[kind].types.includes(mime)) refuse('documents:errors.badType', { name, types: typeLabels(kind).join('/') });
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    // the blob first: a row never points at missing bytes; a blob left by a failed insert is harmless (same hash, reused)
    await this.store.put(sha256, file.buffer, mime);
    return { ownerKind, ownerId, partnerId: access.partnerId, kind, name, size, mime, sha256 };
  }

  /** The document row of a checked upload, in the caller's transaction. */
  async record(actor: Actor, u: CheckedUpload, m: EntityManager): Promise<DocumentRow> {
    const [row] = await m.query(
      `INSERT INTO document (owner_kind, owner_id, partner_id, kind, original_name, size_bytes, mime_type, sha256, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [u.ownerKind, u.ownerId, u.partnerId, u.kind, u.name, u.size, u.mime, u.sha256, actor.id > 0 ? actor.id : null]);
    await this.audit.record(actor, { action: 'document.upload', entityType: 'document', entityId: row.id, partnerId: u.partnerId,
      after: { ownerKind: u.ownerKind, ownerId: u.ownerId, kind: u.kind, name: u.name, size: u.size, mimeType: u.mime, sha256: u.sha256 } }, m);
    const [doc] = await m.query(`${SELECT} WHERE d.id = $1`, [row.id]);
    return doc as DocumentRow;
  }

  /** One current document the caller may read (404 for a deleted one, or one on a record the caller cannot read). */
  async get(actor: Actor, id: number): Promise<{ doc: DocumentRow; access: OwnerAccess }> {
    if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundException('documents:errors.notFound');
    const [doc]: DocumentRow[] = await this.db.query(`${SELECT} WHERE d.id = $1 AND d.deleted_at IS NULL`, [id]);
    if (!doc || (actor.role === 'partner' && doc.partnerId !== actor.partnerId)) throw new NotFoundException('documents:errors.notFound');
    const access = await this.access(actor, doc.ownerKind, doc.ownerId);
    return { doc, access };
  }

  async open(actor: Actor, id: number): Promise<{ doc: DocumentRow; stream: Readable }> {
    const { doc } = await this.get(actor, id);
    return { doc, stream: await this.store.open(doc.sha256) };
  }

  /** Soft delete by someone who may add that kind on the record; the bytes stay (other rows may share them). */
  async remove(actor: Actor, id: number): Promise<DocumentRow> {
    const { doc, access } = await this.get(actor, id);
    if (!access.canUpload.includes(doc.kind)) throw new ForbiddenException('documents:errors.mayNotDelete');
    await this.db.transaction(async (m) => {
      const res = await m.query(`UPDATE document SET deleted_at = now(), deleted_by = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING id`, [id, actor.id > 0 ? actor.id : null]);
      if (!res.length) throw new NotFoundException('documents:errors.notFound');
      await this.audit.record(actor, { action: 'document.delete', entityType: 'document', entityId: id, partnerId: doc.partnerId,
        before: { ownerKind: doc.ownerKind, ownerId: doc.ownerId, kind: doc.kind, name: doc.originalName, sha256: doc.sha256 } }, m);
    });
    return doc;
  }

  /** How many current documents each record has (for a link "附件（2）" on a list). */
  async counts(ownerKind: OwnerKind, ownerIds: number[]): Promise<Map<number, number>> {
    if (!ownerIds.length) return new Map();
    const rows: { ownerId: number; n: number }[] = await this.db.query(
      `SELECT owner_id::int AS "ownerId", count(*)::int AS n FROM document WHERE owner_kind = $1 AND owner_id = ANY($2::bigint[]) AND deleted_at IS NULL GROUP BY owner_id`,
      [ownerKind, ownerIds]);
    return new Map(rows.map((r) => [r.ownerId, r.n]));
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
