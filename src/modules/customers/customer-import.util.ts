import { CsvRowError } from '../../core/csv/csv.util';
import { isValidIsoDate } from '../../core/period/period.util';
import { CustomerClass, CustomerStage, isCustomerClass, stageKeys, stageOf } from './customer-rules.util';

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
  /** the region list's name for a typed region (RegionsService.matcher()); without it regions are taken as typed */
  region?: (input: string) => string | null;
  /** the list's prefectures, named in the refusal of an unknown region */
  regionList?: string;
}

/** Checks every row and returns either the clean rows or every problem (row 1 = header). Messages are catalogue keys. */
export function validateCustomerRows(rows: { row: number; values: Record<string, string> }[], ctx: CustomerImportContext): { ok: CustomerImportRow[]; errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const ok: CustomerImportRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, values: v } of rows) {
    const before = errors.length;
    const err = (column: string, message: string, params?: Record<string, unknown>) => errors.push({ row, column, message, ...(params ? { params } : {}) });
    if (v.__extra !== undefined) err('(row)', 'customers:csv.extraCells');
    const code = (v.code ?? '').trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(code)) err('code', 'customers:csv.codeFormat');
    else if (ctx.existingCodes.has(code)) err('code', 'customers:csv.codeExists', { code });
    else if (seen.has(code)) err('code', 'customers:csv.duplicateRow', { row: seen.get(code) });
    else seen.set(code, row);
    const name = (v.name ?? '').trim();
    if (!name) err('name', 'customers:csv.nameRequired');
    else if (name.length > 200) err('name', 'customers:csv.tooLong', { max: 200 });
    const industry = (v.industry ?? '').trim();
    if (industry.length > 100) err('industry', 'customers:csv.tooLong', { max: 100 });
    let region = (v.region ?? '').trim();
    if (region && ctx.region) {
      const hit = ctx.region(region);
      if (!hit) err('region', 'regions:errors.unknown', { value: region, list: ctx.regionList ?? '' });
      else region = hit;
    } else if (region.length > 100) err('region', 'customers:csv.tooLong', { max: 100 });
    const cls = (v.class ?? '').trim().toUpperCase();
    if (!isCustomerClass(cls)) err('class', 'customers:csv.class');
    const stage = stageOf(v.stage);
    if (!stage) err('stage', 'customers:csv.stage', { list: stageKeys() });
    let partnerId: number | null = null;
    let assignedFrom: string | null = null;
    const partnerCode = (v.partner_code ?? '').trim();
    const from = (v.assigned_from ?? '').trim();
    if (partnerCode) {
      const p = ctx.partners.get(partnerCode);
      if (!p) err('partner_code', 'customers:csv.noPartner', { code: partnerCode });
      else if (p.status !== 'active') err('partner_code', 'customers:csv.partnerInactive', { code: partnerCode, status: `partners:status.${p.status}` });
      else partnerId = p.id;
      if (!isValidIsoDate(from)) err('assigned_from', 'customers:csv.assignedFromRequired');
      else if (from > ctx.today) err('assigned_from', 'customers:csv.assignedFromFuture');
      else assignedFrom = from;
    } else if (from) {
      err('assigned_from', 'customers:csv.partnerMissing');
    }
    if (errors.length === before) {
      ok.push({ row, code, name, industry, region, customerClass: cls as CustomerClass, stage: stage!, partnerId, assignedFrom });
    }
  }
  return { ok, errors };
}
