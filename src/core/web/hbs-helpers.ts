import Decimal from 'decimal.js';
import hbs from 'hbs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

export const VIEWS_DIR = join(PROJECT_ROOT, 'views');

/** Template helpers shared by every page. Handlebars escapes output by default; none of these return raw HTML from user data. */
export function registerViewHelpers(): void {
  hbs.registerPartials(join(VIEWS_DIR, 'partials'));
  const h = hbs.handlebars;
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b || String(a) === String(b));
  h.registerHelper('ne', (a: unknown, b: unknown) => String(a) !== String(b));
  h.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  h.registerHelper('not', (a: unknown) => !a);
  h.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  h.registerHelper('lt', (a: unknown, b: unknown) => Number(a) < Number(b));
  h.registerHelper('includes', (list: unknown, v: unknown) => Array.isArray(list) && list.map(String).includes(String(v)));
  h.registerHelper('money', (v: unknown) => {
    if (v === null || v === undefined || v === '') return '';
    try {
      const d = new Decimal(String(v)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const [i, f] = d.abs().toFixed(2).split('.');
      return `${d.isNegative() && !d.isZero() ? '-' : ''}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
    } catch {
      return String(v);
    }
  });
  h.registerHelper('fixed', (v: unknown, places: unknown) => {
    if (v === null || v === undefined || v === '') return '';
    return new Decimal(String(v)).toFixed(typeof places === 'number' ? places : 2);
  });
  h.registerHelper('percent', (v: unknown) => (v === null || v === undefined || v === '' ? '' : `${new Decimal(String(v)).times(100).toFixed(2)}%`));
  h.registerHelper('date', (v: unknown) => {
    if (!v) return '';
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
    const d = v instanceof Date ? v : new Date(String(v));
    return Number.isNaN(d.getTime()) ? String(v) : d.toISOString().slice(0, 10);
  });
  h.registerHelper('datetime', (v: unknown) => {
    if (!v) return '';
    const d = v instanceof Date ? v : new Date(String(v));
    return Number.isNaN(d.getTime()) ? String(v) : d.toISOString().slice(0, 16).replace('T', ' ');
  });
  h.registerHelper('json', (v: unknown) => JSON.stringify(v ?? null, null, 1));
  h.registerHelper('humanize', (v: unknown) => String(v ?? '').replace(/_/g, ' '));
  h.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  h.registerHelper('pct', (num: unknown, den: unknown) => (Number(den) > 0 ? Math.min(100, Math.round((Number(num) / Number(den)) * 100)) : 0));
  h.registerHelper('qs', function (this: unknown, ...args: unknown[]) {
    // builds a query string from key/value pairs, skipping empty values: {{qs "page" 2 "q" q}}
    const pairs = args.slice(0, -1);
    const p = new URLSearchParams();
    for (let i = 0; i + 1 < pairs.length; i += 2) if (pairs[i + 1] !== undefined && pairs[i + 1] !== null && pairs[i + 1] !== '') p.set(String(pairs[i]), String(pairs[i + 1]));
    return p.toString();
  });
}
