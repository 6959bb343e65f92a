/** Human-readable identifiers: partner codes (`GY-P-00042`) and certification ids (`CERT-2026-000042`). */

/** Two-letter prefixes of the Guizhou prefectures; anything else gets the province prefix GZ. */
const REGION_PREFIXES: [RegExp, string][] = [
  [/贵阳|guiyang/i, 'GY'], [/遵义|zunyi/i, 'ZY'], [/六盘水|liupanshui/i, 'LP'], [/安顺|anshun/i, 'AS'],
  [/毕节|bijie/i, 'BJ'], [/铜仁|tongren/i, 'TR'], [/黔东南|qiandongnan/i, 'QD'], [/黔西南|qianxinan/i, 'QX'],
  [/黔南|qiannan/i, 'QN'],
];
export const DEFAULT_REGION_PREFIX = 'GZ';

export function regionPrefix(region: string | null | undefined): string {
  const text = (region ?? '').trim();
  return REGION_PREFIXES.find(([re]) => re.test(text))?.[1] ?? DEFAULT_REGION_PREFIX;
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
