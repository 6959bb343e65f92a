import { ListQuery, ListSpec } from '../../core/web/list-query';
import { PARTNER_STATUSES, PartnerStatus } from './partner-status.util';
import { COOPERATION_TYPES, CooperationType, Tier, TIERS } from './partner.entity';

/** Filters of the partner list (page and API). Unknown values are dropped, not trusted. */
export interface PartnerListFilter {
  status?: PartnerStatus;
  tier?: Tier;
  type?: CooperationType;
  region?: string;
  /** a prefecture with its counties (the page's region select): any of these names */
  regionIn?: string[];
  /** a scoped channel manager's regions (#17, RegionScopeService): only these; null/absent = everything */
  scope?: string[] | null;
  q?: string;
  /** keyset pagination on the partner code: rows after / before this code */
  after?: string;
  before?: string;
  limit?: number;
}

export const PAGE_SIZE = 50;

/** The page's numbered list: sortable columns (every one ends on the unique code, so pages never overlap). */
export const PARTNER_LIST: ListSpec = {
  sortable: {
    code: 'p.code', name: 'lower(p.name)', creditCode: 'p.credit_code', region: 'p.region', type: 'p.cooperation_type',
    tier: 'p.tier', status: 'p.status', certification: 'p.certification_id',
  },
  defaultSort: 'code',
  tieBreaker: 'p.code',
  pageSize: PAGE_SIZE,
};

export function parsePartnerListFilter(query: Record<string, unknown>): PartnerListFilter {
  const text = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).trim() : '');
  const pick = <T extends string>(k: string, allowed: readonly T[]) => (allowed as readonly string[]).includes(text(k)) ? (text(k) as T) : undefined;
  const limit = Number(text('limit'));
  return {
    status: pick('status', PARTNER_STATUSES),
    tier: pick('tier', TIERS),
    type: pick('type', COOPERATION_TYPES),
    region: text('region').slice(0, 100) || undefined,
    q: text('q').slice(0, 100) || undefined,
    after: text('after').slice(0, 20) || undefined,
    before: text('before').slice(0, 20) || undefined,
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 200) : PAGE_SIZE,
  };
}

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%" (backslash is PostgreSQL's default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface SqlPart { where: string; params: unknown[] }

/**
 * WHERE clause for the filters (without paging), each condition backed by an index: status/tier/type/region
 * b-tree indexes, code and credit code prefix (text_pattern_ops), name substring on lower(name).
 */
export function partnerFilterSql(f: PartnerListFilter, alias = 'p'): SqlPart {
  const conds: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => { params.push(value); conds.push(sql(`$${params.length}`)); };
  if (f.status) add((n) => `${alias}.status = ${n}`, f.status);
  if (f.tier) add((n) => `${alias}.tier = ${n}`, f.tier);
  if (f.type) add((n) => `${alias}.cooperation_type = ${n}`, f.type);
  if (f.region) add((n) => `${alias}.region = ${n}`, f.region);
  if (f.regionIn?.length) add((n) => `${alias}.region = ANY(${n}::text[])`, f.regionIn);
  if (f.scope) add((n) => `${alias}.region = ANY(${n}::text[])`, f.scope);
  if (f.q) {
    params.push(escapeLike(f.q.toUpperCase()) + '%');
    const prefix = `$${params.length}`;
    params.push('%' + escapeLike(f.q.toLowerCase()) + '%');
    const contains = `$${params.length}`;
    conds.push(`(${alias}.code LIKE ${prefix} OR ${alias}.credit_code LIKE ${prefix} OR lower(${alias}.name) LIKE ${contains})`);
  }
  return { where: conds.length ? conds.join(' AND ') : 'TRUE', params };
}

/** The page query: filters plus keyset on code; fetches one extra row to know whether another page exists. */
export function partnerPageSql(f: PartnerListFilter, columns: string, alias = 'p'): { sql: string; params: unknown[]; reversed: boolean } {
  const { where, params } = partnerFilterSql(f, alias);
  const limit = f.limit ?? PAGE_SIZE;
  let keyset = '';
  const reversed = !f.after && !!f.before;
  if (f.after) { params.push(f.after); keyset = ` AND ${alias}.code > $${params.length}`; }
  else if (f.before) { params.push(f.before); keyset = ` AND ${alias}.code < $${params.length}`; }
  params.push(limit + 1);
  const sql = `SELECT ${columns} FROM partner ${alias} WHERE ${where}${keyset} ORDER BY ${alias}.code ${reversed ? 'DESC' : 'ASC'} LIMIT $${params.length}`;
  return { sql, params, reversed };
}

/** Turns the fetched rows (limit + 1 at most) into a page with the codes for the previous and next links. */
export function toPage<T extends { code: string }>(rows: T[], f: PartnerListFilter): { items: T[]; nextAfter: string | null; prevBefore: string | null } {
  const limit = f.limit ?? PAGE_SIZE;
  const more = rows.length > limit;
  const reversed = !f.after && !!f.before;
  let items = rows.slice(0, limit);
  if (reversed) items = items.reverse();
  const hasNext = reversed ? true : more;
  const hasPrev = reversed ? more : !!f.after;
  return { items, nextAfter: hasNext && items.length ? items[items.length - 1].code : null, prevBefore: hasPrev && items.length ? items[0].code : null };
}

/** A numbered page (filters, declared sort, offset) for the page and its Excel export. */
export function partnerNumberedPageSql(f: PartnerListFilter, columns: string, list: Pick<ListQuery, 'orderBy' | 'size' | 'offset'>, alias = 'p'): { sql: string; params: unknown[] } {
  const { where, params } = partnerFilterSql(f, alias);
  params.push(list.size, list.offset);
  return { sql: `SELECT ${columns} FROM partner ${alias} WHERE ${where} ORDER BY ${list.orderBy} LIMIT $${params.length - 1} OFFSET $${params.length}`, params };
}
