/** Human-readable identifiers: partner codes (`GY-P-00042`) and certification ids (`CERT-2026-000042`). */

/**
 * The prefix of generated partner codes comes from the region reference list (`RegionsService.prefixOf`, e.g.
 * 遵义市 → ZY, a county takes its prefecture's); a region without one gets the province prefix GZ.
 */
export const DEFAULT_REGION_PREFIX = 'GZ';

export function regionPrefix(listPrefix: string | null | undefined): string {
  const p = (listPrefix ?? '').trim().toUpperCase();
  return /^[A-Z]{2,4}$/.test(p) ? p : DEFAULT_REGION_PREFIX;
}

export function formatPartnerCode(prefix: string, sequence: number): string {
  if (!/^[A-Z]{2,4}$/.test(prefix)) throw new Error(`"${prefix}" is not a region prefix (2-4 capitals)`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new Error('a partner code sequence starts at 1');
  return `${prefix}-P-${String(sequence).padStart(5, '0')}`;
}

/** Codes in imported files: capitals, digits and dashes, as the existing base uses them (e.g. GZ-P-00042). */
export const PARTNER_CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,19}$/;

export function formatCertificationId(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new Error(`${year} is not a certification year`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new Error('a certification sequence starts at 1');
  return `CERT-${year}-${String(sequence).padStart(6, '0')}`;
}

export const CERTIFICATION_ID_PATTERN = /^CERT-\d{4}-\d{6,}$/;
