/**
 * Long lists are filtered, sorted by a column and paged on the server. A list declares which columns can be sorted
 * (key → SQL expression); anything unknown or malformed in the query string is ignored, never an error page.
 */
export type SortDir = 'asc' | 'desc';

export interface ListSpec {
  /** sort key (as in the URL) → SQL expression; only these can be sorted by */
  sortable: Record<string, string>;
  defaultSort: string;
  defaultDir?: SortDir;
  /** rows per page (default 50) */
  pageSize?: number;
  /** a unique SQL expression that makes the order total (default: none) */
  tieBreaker?: string;
}

export interface ListQuery {
  sort: string;
  dir: SortDir;
  page: number;
  size: number;
  offset: number;
  /** ORDER BY clause body built only from the declared expressions */
  orderBy: string;
  defaultSort: string;
  defaultDir: SortDir;
}

const MAX_PAGE = 1_000_000;

export function parseListQuery(query: Record<string, unknown> | undefined, spec: ListSpec): ListQuery {
  const q = query ?? {};
  const defaultDir = spec.defaultDir ?? 'asc';
  const rawSort = typeof q.sort === 'string' ? q.sort : '';
  const sort = Object.prototype.hasOwnProperty.call(spec.sortable, rawSort) ? rawSort : spec.defaultSort;
  const dir: SortDir = q.dir === 'asc' || q.dir === 'desc' ? q.dir : sort === spec.defaultSort ? defaultDir : 'asc';
  const size = spec.pageSize ?? 50;
  const pageNum = typeof q.page === 'string' && /^\d{1,7}$/.test(q.page) ? Number(q.page) : 1;
  const page = Math.min(Math.max(1, pageNum), MAX_PAGE);
  const expr = spec.sortable[sort];
  const orderBy = `${expr} ${dir.toUpperCase()} NULLS LAST${spec.tieBreaker ? `, ${spec.tieBreaker} ${dir.toUpperCase()}` : ''}`;
  return { sort, dir, page, size, offset: (page - 1) * size, orderBy, defaultSort: spec.defaultSort, defaultDir };
}

export interface PagerLink { n: number | null; href: string | null; current: boolean }
export interface Pager {
  page: number;
  pages: number;
  total: number;
  from: number;
  to: number;
  links: PagerLink[];
  prevHref: string | null;
  nextHref: string | null;
  /** the same list (filters and sort kept) as an Excel file */
  xlsxHref: string;
}

function href(path: string, query: Record<string, string>, changes: Record<string, string | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...changes })) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** Only the plain string parameters of a query (arrays and objects from hostile URLs are dropped). */
export function plainQuery(query: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(query ?? {}).filter(([k, v]) => typeof v === 'string' && v !== '' && k !== '_csrf' && k !== 'format')) as Record<string, string>;
}

/** Page links 1 … 4 5 [6] 7 8 … 20 with the filters and sort kept. */
export function buildPager(total: number, list: ListQuery, path: string, query: Record<string, unknown>): Pager {
  const q = plainQuery(query);
  const pages = Math.max(1, Math.ceil(total / list.size));
  const page = Math.min(list.page, pages);
  const wanted = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const links: PagerLink[] = [];
  sorted.forEach((n, i) => {
    if (i > 0 && n - sorted[i - 1] > 1) links.push({ n: null, href: null, current: false });
    links.push({ n, href: href(path, q, { page: n === 1 ? null : String(n) }), current: n === page });
  });
  return {
    page, pages, total,
    from: total === 0 ? 0 : (page - 1) * list.size + 1,
    to: Math.min(total, page * list.size),
    links,
    prevHref: page > 1 ? href(path, q, { page: page - 1 === 1 ? null : String(page - 1) }) : null,
    nextHref: page < pages ? href(path, q, { page: String(page + 1) }) : null,
    xlsxHref: href(path, q, { page: null, format: 'xlsx' }),
  };
}

/** The link of a sortable column header: first click ascending, a second click reverses. */
export function sortState(list: ListQuery | undefined, key: string, path: string, query: Record<string, string>): { active: boolean; dir: SortDir; href: string } {
  const active = !!list && list.sort === key;
  const dir: SortDir = active ? list!.dir : 'asc';
  const next: SortDir = active && dir === 'asc' ? 'desc' : 'asc';
  return { active, dir, href: href(path, plainQuery(query), { sort: key, dir: next, page: null }) };
}
