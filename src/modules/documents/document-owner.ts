import { SetMetadata } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DocumentKind, OwnerKind } from './document-kinds.util';

/**
 * A module whose records carry documents provides one `@DocumentOwner('<owner kind>')` class; the documents module
 * finds it by discovery and asks it, with the module's own access checks, whether the caller may read the record.
 * So access follows the record: who can read it can read its files, and the owning module decides who may add.
 */
export const DOCUMENT_OWNER = 'portal:document-owner';
export const DocumentOwner = (kind: OwnerKind) => SetMetadata(DOCUMENT_OWNER, kind);

export interface OwnerAccess {
  /** the partner the record belongs to (scopes partner users; null for records of no partner) */
  partnerId: number | null;
  /** a catalogue key and params naming the record on the documents page ("服务记录 #12（客户 C-001）") */
  label: string;
  labelParams?: Record<string, unknown>;
  /** where the record itself is shown, for the way back */
  backHref: string;
  /** document kinds this caller may add (and remove) on this record now */
  canUpload: DocumentKind[];
}

export interface DocumentOwnerResolver {
  /** Throws NotFoundException when the caller may not read the record (another partner's: 404, never 403). */
  access(actor: Actor, ownerId: number): Promise<OwnerAccess>;
}
