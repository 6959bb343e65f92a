import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { ListQuery, ListSpec } from '../../core/web/list-query';
import { DocumentKind, isDocumentKind, KIND_RULES, OwnerKind } from './document-kinds.util';

export interface DocumentFilter { kind?: DocumentKind; q?: string }

export const DOCUMENT_LIST: ListSpec = {
  sortable: { uploadedAt: 'd.uploaded_at', name: 'd.original_name', kind: 'd.kind', size: 'd.size_bytes', partner: 'p.code' },
  defaultSort: 'uploadedAt', defaultDir: 'desc', pageSize: 50, tieBreaker: 'd.id',
};

/** Owner kinds each staff role reads (as on the owners' own pages): finance does not see applications. */
export function readableOwnerKinds(actor: Actor): OwnerKind[] {
  if (actor.role === 'admin' || actor.role === 'channel_manager') return ['application', 'service_record', 'violation', 'handover_item', 'settlement_line'];
  if (actor.role === 'finance') return ['service_record', 'violation', 'handover_item', 'settlement_line'];
  return [];
}

export function parseDocumentFilter(q: Record<string, string | undefined>): DocumentFilter {
  return { kind: isDocumentKind(q.kind) ? q.kind : undefined, q: q.q?.trim().slice(0, 100) || undefined };
}

/** Staff: the latest documents across records (filter by kind, partner code or name, file name), to find new papers. */
@Injectable()
export class DocumentsListService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(actor: Actor, f: DocumentFilter, list: Pick<ListQuery, 'orderBy' | 'size' | 'offset'>) {
    const kinds = readableOwnerKinds(actor);
    const params: unknown[] = [kinds];
    let where = 'd.deleted_at IS NULL AND d.owner_kind = ANY($1::text[])';
    if (f.kind && kinds.includes(KIND_RULES[f.kind].owner)) { params.push(f.kind); where += ` AND d.kind = $${params.length}`; }
    if (f.q) {
      params.push(`%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
      where += ` AND (p.code ILIKE $${params.length} OR p.name ILIKE $${params.length} OR d.original_name ILIKE $${params.length})`;
    }
    const from = `FROM document d LEFT JOIN partner p ON p.id = d.partner_id LEFT JOIN user_account u ON u.id = d.uploaded_by WHERE ${where}`;
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n ${from}`, params);
    const rows = await this.db.query(
      `SELECT d.id, d.owner_kind AS "ownerKind", d.owner_id::int AS "ownerId", d.kind, d.original_name AS "originalName", d.size_bytes::int AS "sizeBytes",
              d.mime_type AS "mimeType", d.uploaded_at AS "uploadedAt", u.display_name AS "uploadedByName", p.code AS "partnerCode", p.name AS "partnerName"
         ${from} ORDER BY ${list.orderBy} LIMIT ${Math.max(1, Math.floor(list.size))} OFFSET ${Math.max(0, Math.floor(list.offset))}`, params);
    return { rows, total: n as number };
  }
}
