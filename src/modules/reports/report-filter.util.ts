import { periodOfDate, previousPeriod, todayIso } from '../../core/period/period.util';
import { FilterField } from './report-defs';
import { ReportFilter } from './queries/reports.sql';

const PERIOD = /^\d{4}Q[1-4]$/;
const STAGES = ['acquisition', 'development', 'maturity', 'decline', 'churn'];
const TIERS = ['A', 'B', 'C'];

const str = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/**
 * A report's filter from the query string. Anything malformed falls back to the default, never an error page:
 * the quarter defaults to the last closed one, a range to the four quarters up to the current one.
 */
export function parseReportFilter(query: Record<string, unknown>, fields: FilterField[], today = todayIso(), opts: { closedRange?: boolean } = {}): ReportFilter {
  const current = periodOfDate(today).code;
  const lastClosed = previousPeriod(current).code;
  let fourBack = current;
  for (let i = 0; i < 3; i++) fourBack = previousPeriod(fourBack).code;
  const period = (v: unknown, d: string) => (typeof v === 'string' && PERIOD.test(v) ? v : d);
  // a heavy range report (one row per accrual line read) starts on the last closed quarter alone
  let from = period(query.from, opts.closedRange ? lastClosed : fourBack);
  let to = period(query.to, opts.closedRange ? lastClosed : current);
  if (from > to) [from, to] = [to, from];
  const f: ReportFilter = { period: period(query.period, lastClosed), from, to };
  const has = (k: FilterField) => fields.includes(k);
  if (has('region') && str(query.region, 100)) f.region = str(query.region, 100);
  if (has('tier') && TIERS.includes(str(query.tier, 1))) f.tier = str(query.tier, 1);
  if (has('product') && str(query.product, 120)) f.product = str(query.product, 120);
  if (has('stage') && STAGES.includes(str(query.stage, 20))) f.stage = str(query.stage, 20);
  if (has('q') && str(query.q, 50)) f.q = str(query.q, 50);
  // no target given: the report uses the complaints setting's target
  if (has('target')) {
    const t = str(query.target, 6);
    if (/^\d{1,3}(\.\d{1,2})?$/.test(t) && Number(t) <= 100) f.target = t;
  }
  return f;
}

/** The filters as [label key, value] for the export's header block (only the ones the report uses and that are set). */
export function filterLines(f: ReportFilter, fields: FilterField[]): [string, string][] {
  const out: [string, string][] = [];
  for (const k of fields) {
    const v = (f as unknown as Record<string, string | undefined>)[k];
    if (v) out.push([`reports:filter.${k}`, v]);
  }
  return out;
}

export const STAGE_CODES = STAGES;
export const TIER_CODES = TIERS;
