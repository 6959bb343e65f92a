/**
 * What may be uploaded where: each document kind belongs to one owner kind (the record it is attached to), has its
 * allowed types (decided from the file's magic bytes, never from its name) and a size limit (setting
 * DOCUMENT_LIMITS_MB overrides the defaults below). Pure, so it is tested without a database.
 */
export const OWNER_KINDS = ['application', 'service_record', 'violation', 'handover_item', 'settlement_line', 'complaint', 'support_request', 'staff_member'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

export const DOCUMENT_KINDS = ['qualification', 'record_evidence', 'violation_evidence', 'violation_response', 'handover_paper', 'invoice', 'complaint_attachment', 'support_attachment', 'staff_photo'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

const PDF = ['application/pdf'];
const IMAGES = ['image/jpeg', 'image/png'];
export const OFFICE_TYPES = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
];

export interface KindRule { owner: OwnerKind; types: string[]; defaultMaxMb: number }

export const KIND_RULES: Record<DocumentKind, KindRule> = {
  qualification: { owner: 'application', types: [...PDF, ...IMAGES], defaultMaxMb: 20 },
  record_evidence: { owner: 'service_record', types: [...PDF, ...IMAGES, ...OFFICE_TYPES], defaultMaxMb: 20 },
  violation_evidence: { owner: 'violation', types: [...PDF, ...IMAGES, ...OFFICE_TYPES], defaultMaxMb: 20 },
  violation_response: { owner: 'violation', types: [...PDF, ...IMAGES, ...OFFICE_TYPES], defaultMaxMb: 20 },
  handover_paper: { owner: 'handover_item', types: [...PDF, ...IMAGES, ...OFFICE_TYPES], defaultMaxMb: 20 },
  invoice: { owner: 'settlement_line', types: [...PDF, ...IMAGES], defaultMaxMb: 10 },
  complaint_attachment: { owner: 'complaint', types: [...PDF, ...IMAGES, ...OFFICE_TYPES], defaultMaxMb: 20 },
  support_attachment: { owner: 'support_request', types: [...PDF, ...IMAGES, ...OFFICE_TYPES], defaultMaxMb: 20 },
  staff_photo: { owner: 'staff_member', types: [...IMAGES], defaultMaxMb: 5 },
};

/** The largest limit any setting may give; multer stops reading a body beyond it. */
export const MAX_UPLOAD_MB = 50;

export const isOwnerKind = (v: unknown): v is OwnerKind => typeof v === 'string' && (OWNER_KINDS as readonly string[]).includes(v);
export const isDocumentKind = (v: unknown): v is DocumentKind => typeof v === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(v);
export const kindsOf = (owner: OwnerKind): DocumentKind[] => DOCUMENT_KINDS.filter((k) => KIND_RULES[k].owner === owner);

/** `DOCUMENT_LIMITS_MB="invoice=5,record_evidence=30"` → bytes per kind (defaults for the kinds not named). */
export function parseLimits(setting: string | undefined): Record<DocumentKind, number> {
  const mb = Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, KIND_RULES[k].defaultMaxMb])) as Record<DocumentKind, number>;
  for (const part of (setting ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || !isDocumentKind(m[1])) throw new Error(`DOCUMENT_LIMITS_MB: "${part}" is not kind=MB with a kind of ${DOCUMENT_KINDS.join(', ')}`);
    const n = Number(m[2]);
    if (!(n > 0 && n <= MAX_UPLOAD_MB)) throw new Error(`DOCUMENT_LIMITS_MB: ${m[1]} must be between 0 and ${MAX_UPLOAD_MB} MB`);
    mb[m[1]] = n;
  }
  return Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, Math.floor(mb[k] * 1024 * 1024)])) as Record<DocumentKind, number>;
}

/**
 * The type a file really is. `detected` is file-type's answer from the magic bytes; old Office files (.doc/.xls/.ppt)
 * are all one container format (CFB), so only there the name's extension says which of the three it is.
 */
export function effectiveType(detected: { mime: string } | undefined, originalName: string): string | null {
  if (!detected) return null;
  if (detected.mime === 'application/x-cfb') {
    const ext = /\.([a-z]+)$/i.exec(originalName)?.[1]?.toLowerCase();
    return ext === 'doc' ? 'application/msword' : ext === 'xls' ? 'application/vnd.ms-excel' : ext === 'ppt' ? 'application/vnd.ms-powerpoint' : null;
  }
  return detected.mime;
}

/** Short labels for the allowed types of a kind, for the form hint and the refusal message ("PDF、JPEG、PNG"). */
export function typeLabels(kind: DocumentKind): string[] {
  const t = KIND_RULES[kind].types;
  const out: string[] = [];
  if (t.includes('application/pdf')) out.push('PDF');
  if (t.includes('image/jpeg')) out.push('JPEG');
  if (t.includes('image/png')) out.push('PNG');
  if (t.some((x) => OFFICE_TYPES.includes(x))) out.push('Word', 'Excel', 'PowerPoint');
  return out;
}

export const isImage = (mime: string) => mime === 'image/jpeg' || mime === 'image/png';

/** A file name safe to keep and show: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string | undefined): string {
  const base = String(name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'file';
}
