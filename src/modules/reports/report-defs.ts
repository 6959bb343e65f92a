import { XlsxKind } from '../../core/export/xlsx.util';
import { ListSpec } from '../../core/web/list-query';
import { BuiltQuery, complaintsQuery, costQuery, dutiesQuery, rankingQuery, ReportFilter, violationsExitsQuery } from './queries/reports.sql';

export const REPORT_KEYS = ['ranking', 'cost', 'duties', 'violations', 'complaints'] as const;
export type ReportKey = (typeof REPORT_KEYS)[number];
export type FilterField = 'period' | 'from' | 'to' | 'region' | 'tier' | 'product' | 'stage' | 'q' | 'target';

export interface ReportColumn {
  key: string;
  /** catalogue key of the header */
  label: string;
  kind: XlsxKind;
  /** a code whose label is `${codeLabel}.${value}` (stages, tiers) */
  codeLabel?: string;
  /** the SQL column sorted by (numbers sort as numbers: *_num) */
  sort?: string;
}
export interface ReportDef {
  key: ReportKey;
  title: string;
  filters: FilterField[];
  columns: ReportColumn[];
  list: ListSpec;
  query(f: ReportFilter, env: { today: string; tz: string }): BuiltQuery;
  /** the partner link of a row (staff pages) */
  partnerLink?: boolean;
  /** the range defaults to the last closed quarter (reads accrual lines) */
  closedRange?: boolean;
}

const col = (key: string, kind: XlsxKind = 'text', sort: string | null = key, extra: Partial<ReportColumn> = {}): ReportColumn =>
  ({ key, label: `reports:col.${key}`, kind, ...(sort ? { sort } : {}), ...extra });

export const REPORTS: Record<ReportKey, ReportDef> = {
  ranking: {
    key: 'ranking', title: 'reports:ranking.title', filters: ['period', 'region', 'tier', 'q'], partnerLink: true,
    columns: [col('rank', 'number'), col('code'), col('name'), col('region'), col('tier', 'text', 'tier', { codeLabel: 'reports:tierCode' }), col('y', 'number', 'y_num'), col('p', 'coefficient', 'y_num'), col('accrued', 'money', 'accrued_num'), col('pay', 'money', 'pay_num')],
    list: { sortable: {}, defaultSort: 'rank', tieBreaker: 'code' },
    query: (f) => rankingQuery(f),
  },
  cost: {
    key: 'cost', title: 'reports:cost.title', filters: ['from', 'to', 'region', 'tier', 'product'], closedRange: true,
    columns: [col('period'), col('region'), col('product'), col('partners', 'number'), col('accrued', 'money', 'accrued_num'), col('cost', 'money', 'cost_num'), col('withheld', 'money', null)],
    list: { sortable: {}, defaultSort: 'period', defaultDir: 'desc', tieBreaker: 'region, product' },
    query: (f) => costQuery(f),
  },
  duties: {
    key: 'duties', title: 'reports:duties.title', filters: ['period', 'region', 'tier', 'stage', 'q'], partnerLink: true,
    columns: [col('code'), col('name'), col('region'), col('stage', 'text', 'stage', { codeLabel: 'reports:stage' }), col('required', 'number'), col('fulfilled', 'number'), col('rate', 'number', 'rate_num'), col('overdue', 'number')],
    list: { sortable: {}, defaultSort: 'rate', tieBreaker: 'code, stage' },
    query: (f, env) => dutiesQuery(f, env.today),
  },
  violations: {
    key: 'violations', title: 'reports:violations.title', filters: ['from', 'to', 'region'],
    columns: [col('period'), col('region'), col('minor', 'number'), col('major', 'number'), col('penalties', 'money', 'penalties_num'), col('exitsProposed', 'number', 'exits_proposed'), col('exitsApproved', 'number', 'exits_approved'), col('exitsCompleted', 'number', 'exits_completed')],
    list: { sortable: {}, defaultSort: 'period', defaultDir: 'desc', tieBreaker: 'region' },
    query: (f, env) => violationsExitsQuery(f, env.tz),
  },
  complaints: {
    key: 'complaints', title: 'reports:complaints.title', filters: ['from', 'to', 'region', 'tier', 'q', 'target'], partnerLink: true,
    columns: [col('period'), col('code'), col('name'), col('region'), col('handled', 'number'), col('onTime', 'number', 'on_time'), col('rate', 'number', 'rate_num'), col('target', 'number', null), col('met', 'text', 'met', { codeLabel: 'reports:met' })],
    list: { sortable: {}, defaultSort: 'rate', tieBreaker: 'code, period' },
    query: (f, env) => complaintsQuery(f, env.tz),
  },
};

// the sortable columns of each report are its columns with a sort expression (quoted: they name output columns)
for (const def of Object.values(REPORTS)) {
  def.list.sortable = Object.fromEntries(def.columns.filter((c) => c.sort).map((c) => [c.key, `r.${c.sort}`]));
  def.list.tieBreaker = def.list.tieBreaker!.split(',').map((s) => `r.${s.trim()}`).join(', ');
  def.list.pageSize = 50;
}
