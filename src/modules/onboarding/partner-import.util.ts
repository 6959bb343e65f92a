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

/** The region reference list as an import needs it: a matcher (from `RegionsService.matcher()`) and the names to offer. */
export interface ImportRegions { match: (input: string) => string | null; list: string }

/** Checks every row against the format rules, each other, the region list and the database; returns all problems at once. */
export function validatePartnerRows(rows: { row: number; values: Record<string, string> }[], existing: ExistingPartners, regions: ImportRegions): { partners: ImportedPartner[]; errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const partners: ImportedPartner[] = [];
  const seenCodes = new Map<string, number>();
  const seenCredit = new Map<string, number>();
  const seenNames = new Map<string, number>();
  for (const { row, values: v } of rows) {
    const err = (column: string, message: string, params?: Record<string, unknown>) => errors.push(params ? { row, column, message, params } : { row, column, message });
    if (v.__extra) err('(row)', 'onboarding:csv.extraCells');
    for (const c of ['code', 'name', 'credit_code', 'cooperation_type', 'tier', 'region', 'status'] as const) if (!v[c]) err(c, 'onboarding:csv.required');
    const code = (v.code ?? '').toUpperCase();
    if (code) {
      if (!PARTNER_CODE_PATTERN.test(code)) err('code', 'onboarding:csv.badCode', { value: v.code });
      else if (seenCodes.has(code)) err('code', 'onboarding:csv.twice', { value: code, firstRow: seenCodes.get(code) });
      else if (existing.codes.has(code)) err('code', 'onboarding:csv.codeExists', { code });
      seenCodes.set(code, seenCodes.get(code) ?? row);
    }
    const creditCode = normalizeCreditCode(v.credit_code);
    if (creditCode) {
      const problem = creditCodeProblem(creditCode);
      if (problem) err('credit_code', problem.message, problem.params);
      else if (seenCredit.has(creditCode)) err('credit_code', 'onboarding:csv.twice', { value: creditCode, firstRow: seenCredit.get(creditCode) });
      else if (existing.creditCodes.has(creditCode)) err('credit_code', 'onboarding:csv.creditCodeExists', { creditCode });
      seenCredit.set(creditCode, seenCredit.get(creditCode) ?? row);
    }
    const nameKey = (v.name ?? '').toLowerCase();
    if (nameKey) {
      if (v.name.length > 200) err('name', 'onboarding:csv.tooLong', { max: 200 });
      else if (seenNames.has(nameKey)) err('name', 'onboarding:csv.twice', { value: `"${v.name}"`, firstRow: seenNames.get(nameKey) });
      else if (existing.names.has(nameKey)) err('name', 'onboarding:csv.nameExists', { name: v.name });
      seenNames.set(nameKey, seenNames.get(nameKey) ?? row);
    }
    if (v.cooperation_type && !(COOPERATION_TYPES as readonly string[]).includes(v.cooperation_type)) err('cooperation_type', 'onboarding:csv.cooperationType', { value: v.cooperation_type });
    if (v.tier && !(TIERS as readonly string[]).includes(v.tier.toUpperCase())) err('tier', 'onboarding:csv.tier', { value: v.tier });
    if (v.status && !['active', 'suspended'].includes(v.status)) err('status', 'onboarding:csv.status', { value: v.status });
    if (v.contact_email && !EMAIL.test(v.contact_email)) err('contact_email', 'onboarding:csv.email', { value: v.contact_email });
    if (v.contact_phone && !/^[0-9+\-() ]{5,40}$/.test(v.contact_phone)) err('contact_phone', 'onboarding:csv.phone', { value: v.contact_phone });
    if (v.bank_account && !/^[0-9 ]{8,40}$/.test(v.bank_account)) err('bank_account', 'onboarding:csv.bankAccount');
    // spellings such as "Anshun" or "安顺" become the list's name (安顺市); anything else is refused with the list
    const region = v.region ? regions.match(v.region) : null;
    if (v.region && !region) err('region', 'regions:errors.unknown', { value: v.region, list: regions.list });
    if (v.contract_signed_on && !DATE.test(v.contract_signed_on)) err('contract_signed_on', 'onboarding:csv.date', { value: v.contract_signed_on });
    partners.push({
      row, code, name: v.name, creditCode, cooperationType: v.cooperation_type as CooperationType, tier: (v.tier ?? '').toUpperCase() as Tier, region: region ?? v.region,
      contactName: v.contact_name ?? '', contactPhone: v.contact_phone ?? '', contactEmail: v.contact_email ?? '', bankName: v.bank_name ?? '',
      bankAccountNo: (v.bank_account ?? '').replace(/\s/g, ''), bankAccountName: v.bank_account_name || v.name, status: v.status as 'active' | 'suspended',
      contractSignedOn: v.contract_signed_on || null,
    });
  }
  return { partners, errors };
}
