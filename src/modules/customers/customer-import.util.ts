import { CsvRowError } from '../../core/csv/csv.util';
import { isValidIsoDate } from '../../core/period/period.util';
import { CustomerClass, CustomerStage, CUSTOMER_STAGES, isCustomerClass, isStage } from './customer-rules.util';

export const CUSTOMER_CSV_COLUMNS = ['code', 'name', 'industry', 'region', 'class', 'stage', 'partner_code', 'assigned_from'] as const;

export interface CustomerImportRow {
  row: number;
  code: string;
  name: string;
  industry: string;
  region: string;
  customerClass: CustomerClass;
  stage: CustomerStage;
  partnerId: number | null;
  assignedFrom: string | null;
}

export interface CustomerImportContext {
  existingCodes: Set<string>;
  /** partner code -> id and status */
  partners: Map<string, { id: number; status: string }>;
  today: string;
}

/** Checks every row and returns either the clean rows or every problem (row 1 = header). */
export function validateCustomerRows(rows: { row: number; values: Record<string, string> }[], ctx: CustomerImportContext): { ok: CustomerImportRow[]; errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const ok: CustomerImportRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, values: v } of rows) {
    const before = errors.length;
    const err = (column: string, message: string) => errors.push({ row, column, message });
    if (v.__extra !== undefined) err('(row)', 'more cells than columns in the header');
    const code = v.code ?? '';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(code)) err('code', 'required: letters, digits, . _ - (at most 40)');
    else if (ctx.existingCodes.has(code)) err('code', `customer ${code} already exists`);
    else if (seen.has(code)) err('code', `duplicate of row ${seen.get(code)}`);
    else seen.set(code, row);
    if (!v.name) err('name', 'required');
    else if (v.name.length > 200) err('name', 'at most 200 characters');
    if ((v.industry ?? '').length > 100) err('industry', 'at most 100 characters');
    if ((v.region ?? '').length > 100) err('region', 'at most 100 characters');
    const cls = (v.class ?? '').toUpperCase();
    if (!isCustomerClass(cls)) err('class', 'must be A, B or C');
    const stage = (v.stage ?? '').toLowerCase();
    if (!isStage(stage)) err('stage', `must be one of ${CUSTOMER_STAGES.join(', ')}`);
    let partnerId: number | null = null;
    let assignedFrom: string | null = null;
    if (v.partner_code) {
      const p = ctx.partners.get(v.partner_code);
      if (!p) err('partner_code', `no partner with code ${v.partner_code}`);
      else if (p.status !== 'active') err('partner_code', `partner ${v.partner_code} is ${p.status}, not active`);
      else partnerId = p.id;
      if (!isValidIsoDate(v.assigned_from ?? '')) err('assigned_from', 'required with partner_code: a date like 2026-01-01');
      else if (v.assigned_from > ctx.today) err('assigned_from', 'must not be in the future');
      else assignedFrom = v.assigned_from;
    } else if (v.assigned_from) {
      err('assigned_from', 'give partner_code too, or leave assigned_from empty');
    }
    if (errors.length === before) {
      ok.push({ row, code, name: v.name, industry: v.industry ?? '', region: v.region ?? '', customerClass: cls as CustomerClass, stage: stage as CustomerStage, partnerId, assignedFrom });
    }
  }
  return { ok, errors };
}
