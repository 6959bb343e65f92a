import { CsvRowError } from '../../core/csv/csv.util';
import { creditCodeProblem, normalizeCreditCode } from '../partners/credit-code.util';
import { PARTNER_CODE_PATTERN } from '../partners/partner-code.util';
import { COOPERATION_TYPES, CooperationType, Tier, TIERS } from '../partners/partner.entity';

export const PARTNER_IMPORT_COLUMNS = ['code', 'name', 'credit_code', 'cooperation_type', 'tier', 'region', 'contact_name', 'contact_phone', 'contact_email', 'bank_name', 'bank_account', 'status'] as const;
/** Optional: when the contract was signed (history starts then); defaults to the import date. */
export const PARTNER_IMPORT_OPTIONAL = ['contract_signed_on', 'bank_account_name'] as const;

export interface ImportedPartner {
  row: number; code: string; name: string; creditCode: string; cooperationType: CooperationType; tier: Tier; region: string;
  contactName: string; contactPhone: string; contactEmail: string; bankName: string; bankAccountNo: string; bankAccountName: string;
  status: 'active' | 'suspended'; contractSignedOn: string | null;
}

/** What already exists in the database (codes and credit codes as stored, names lower-cased). */
export interface ExistingPartners { codes: Set<string>; creditCodes: Set<string>; names: Set<string> }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks every row against the format rules, each other and the database; returns all problems at once. */
export function validatePartnerRows(rows: { row: number; values: Record<string, string> }[], existing: ExistingPartners): { partners: ImportedPartner[]; errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const partners: ImportedPartner[] = [];
  const seenCodes = new Map<string, number>();
  const seenCredit = new Map<string, number>();
  const seenNames = new Map<string, number>();
  for (const { row, values: v } of rows) {
    const err = (column: string, message: string) => errors.push({ row, column, message });
    if (v.__extra) err('(row)', 'more cells than header columns');
    for (const c of ['code', 'name', 'credit_code', 'cooperation_type', 'tier', 'region', 'status'] as const) if (!v[c]) err(c, 'is required');
    const code = (v.code ?? '').toUpperCase();
    if (code) {
      if (!PARTNER_CODE_PATTERN.test(code)) err('code', `"${v.code}" is not a partner code (capitals, digits and dashes, up to 20, e.g. GZ-P-00042)`);
      else if (seenCodes.has(code)) err('code', `${code} appears twice in the file (also row ${seenCodes.get(code)})`);
      else if (existing.codes.has(code)) err('code', `${code} already exists`);
      seenCodes.set(code, seenCodes.get(code) ?? row);
    }
    const creditCode = normalizeCreditCode(v.credit_code);
    if (creditCode) {
      const problem = creditCodeProblem(creditCode);
      if (problem) err('credit_code', problem);
      else if (seenCredit.has(creditCode)) err('credit_code', `${creditCode} appears twice in the file (also row ${seenCredit.get(creditCode)})`);
      else if (existing.creditCodes.has(creditCode)) err('credit_code', `a partner with credit code ${creditCode} already exists`);
      seenCredit.set(creditCode, seenCredit.get(creditCode) ?? row);
    }
    const nameKey = (v.name ?? '').toLowerCase();
    if (nameKey) {
      if (v.name.length > 200) err('name', 'is longer than 200 characters');
      else if (seenNames.has(nameKey)) err('name', `"${v.name}" appears twice in the file (also row ${seenNames.get(nameKey)})`);
      else if (existing.names.has(nameKey)) err('name', `a partner named "${v.name}" already exists`);
      seenNames.set(nameKey, seenNames.get(nameKey) ?? row);
    }
    if (v.cooperation_type && !(COOPERATION_TYPES as readonly string[]).includes(v.cooperation_type)) err('cooperation_type', `must be one of ${COOPERATION_TYPES.join(', ')} (got "${v.cooperation_type}")`);
    if (v.tier && !(TIERS as readonly string[]).includes(v.tier.toUpperCase())) err('tier', `must be A, B or C (got "${v.tier}")`);
    if (v.status && !['active', 'suspended'].includes(v.status)) err('status', `must be active or suspended (got "${v.status}")`);
    if (v.contact_email && !EMAIL.test(v.contact_email)) err('contact_email', `"${v.contact_email}" is not an email address`);
    if (v.contact_phone && !/^[0-9+\-() ]{5,40}$/.test(v.contact_phone)) err('contact_phone', `"${v.contact_phone}" is not a phone number`);
    if (v.bank_account && !/^[0-9 ]{8,40}$/.test(v.bank_account)) err('bank_account', 'must be 8-40 digits');
    if (v.region && v.region.length > 100) err('region', 'is longer than 100 characters');
    if (v.contract_signed_on && !DATE.test(v.contract_signed_on)) err('contract_signed_on', `"${v.contract_signed_on}" is not a date like 2025-01-31`);
    partners.push({
      row, code, name: v.name, creditCode, cooperationType: v.cooperation_type as CooperationType, tier: (v.tier ?? '').toUpperCase() as Tier, region: v.region,
      contactName: v.contact_name ?? '', contactPhone: v.contact_phone ?? '', contactEmail: v.contact_email ?? '', bankName: v.bank_name ?? '',
      bankAccountNo: (v.bank_account ?? '').replace(/\s/g, ''), bankAccountName: v.bank_account_name || v.name, status: v.status as 'active' | 'suspended',
      contractSignedOn: v.contract_signed_on || null,
    });
  }
  return { partners, errors };
}
