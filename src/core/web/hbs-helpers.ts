import Decimal from 'decimal.js';
import hbs from 'hbs';
import { join } from 'node:path';
import { formatDate, formatDateTime, formatMoney, formatYuan } from '../i18n/format.util';
import { DEFAULT_LANGUAGE, Language, t, tDeep } from '../i18n/i18n';
import { PROJECT_ROOT } from '../paths';
import { errorsFor, FormState, valueAt } from './form-state';
import { sortState } from './list-query';

export const VIEWS_DIR = join(PROJECT_ROOT, 'views');

/** audit actors that are not people */
const PSEUDO_ACTORS = new Set(['system', 'applicant']);

type Options = { hash: Record<string, unknown>; data: { root: Record<string, unknown> }; fn?: (ctx: unknown) => string; inverse?: (ctx: unknown) => string };
const langOf = (o: Options): Language => (o.data?.root?.lang as Language) ?? DEFAULT_LANGUAGE;
const formOf = (o: Options): FormState | null => (o.data?.root?.form as FormState | null) ?? null;
const escape = (s: string) => hbs.handlebars.Utils.escapeExpression(s);

/** Template helpers shared by every page. Handlebars escapes output; helpers returning HTML escape what they insert. */
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
  h.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map((a) => String(a ?? '')).join(''));

  // ---- language: {{t "partners:list.title" count=total}}, {{tv "partners:status" status}} -------------------------
  h.registerHelper('t', (key: unknown, ...rest: unknown[]) => {
    const o = rest[rest.length - 1] as Options;
    // {{t label labelParams}}: a params object may come positionally (e.g. from a dashboard panel item)
    const positional = rest.length > 1 && rest[0] && typeof rest[0] === 'object' ? rest[0] as Record<string, unknown> : {};
    return tDeep(langOf(o), String(key ?? ''), { ...positional, ...o.hash });
  });
  /** the label of a code value: {{tv "partners:status" "active"}} → t('partners:status.active') */
  h.registerHelper('tv', (prefix: unknown, value: unknown, ...rest: unknown[]) => {
    const o = rest[rest.length - 1] as Options;
    if (value === null || value === undefined || value === '') return '';
    return t(langOf(o), `${String(prefix)}.${String(value)}`, o.hash);
  });
  /** a message object {message, params} or a key/text */
  h.registerHelper('tm', (m: unknown, o: Options) => {
    if (m && typeof m === 'object') { const mm = m as { message?: string; key?: string; params?: Record<string, unknown> }; return tDeep(langOf(o), mm.key ?? mm.message ?? '', mm.params); }
    return tDeep(langOf(o), String(m ?? ''));
  });

  // ---- numbers, money, dates (business time zone) ---------------------------------------------------------------
  /** who did something: a person's username as it is; the portal's own pseudo-users (system, applicant) in words */
  h.registerHelper('actor', (label: unknown, o: Options) => {
    const s = String(label ?? '');
    return PSEUDO_ACTORS.has(s) ? t(langOf(o), `common:actor.${s}`) : s;
  });
  h.registerHelper('money', (v: unknown) => formatMoney(v));
  h.registerHelper('yuan', (v: unknown) => formatYuan(v));
  /** an amount without its sign (a debt named as "this ¥1,240.40 debt", not "-¥1,240.40") */
  h.registerHelper('unsigned', (v: unknown) => (v === null || v === undefined || v === '' ? '' : new Decimal(String(v)).abs().toFixed(2)));
  h.registerHelper('fixed', (v: unknown, places: unknown) => {
    if (v === null || v === undefined || v === '') return '';
    return new Decimal(String(v)).toFixed(typeof places === 'number' ? places : 2);
  });
  h.registerHelper('percent', (v: unknown) => (v === null || v === undefined || v === '' ? '' : `${new Decimal(String(v)).times(100).toFixed(2)}%`));
  h.registerHelper('date', (v: unknown) => formatDate(v));
  h.registerHelper('datetime', (v: unknown) => formatDateTime(v));
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

  // ---- forms that keep what was typed: value="{{val 'name' partner.name}}", {{fieldError 'name'}} -----------------
  /** the refused form's value for a field, else the fallback (the stored value) */
  h.registerHelper('val', (name: unknown, ...rest: unknown[]) => {
    const o = rest[rest.length - 1] as Options;
    const fallback = rest.length > 1 ? rest[0] : '';
    const form = formOf(o);
    if (form) {
      const v = valueAt(form.values, String(name));
      if (v !== undefined && v !== null && typeof v !== 'object') return v;
      if (v === undefined && rest.length > 1 && isCheckboxLike(fallback)) return '';
    }
    return fallback ?? '';
  });
  /** `selected` when the (refused form's or stored) value of a select equals this option */
  h.registerHelper('sel', (name: unknown, option: unknown, ...rest: unknown[]) => {
    const o = rest[rest.length - 1] as Options;
    const current = currentValue(o, String(name), rest.length > 1 ? rest[0] : undefined);
    return current !== undefined && current !== null && String(current) === String(option) ? 'selected' : '';
  });
  /** `checked` for a checkbox/radio: refused form's value, else the stored one */
  h.registerHelper('chk', (name: unknown, option: unknown, ...rest: unknown[]) => {
    const o = rest[rest.length - 1] as Options;
    const form = formOf(o);
    if (form) {
      const v = valueAt(form.values, String(name));
      const list = Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
      return list.includes(String(option)) ? 'checked' : '';
    }
    const stored = rest.length > 1 ? rest[0] : undefined;
    const list = Array.isArray(stored) ? stored.map(String) : stored === true ? [String(option)] : stored === undefined || stored === null || stored === false ? [] : [String(stored)];
    return list.includes(String(option)) ? 'checked' : '';
  });
  /** the messages of a field, beside it (each shown once) */
  h.registerHelper('fieldError', (name: unknown, o: Options) => {
    const form = formOf(o);
    if (!form) return '';
    const msgs = errorsFor(form, String(name));
    if (!msgs.length) return '';
    form.shown.add(String(name).replace(/\[([^\]]*)\]/g, '.$1'));
    form.shown.add(String(name));
    const id = `err-${String(name).replace(/[^A-Za-z0-9_-]/g, '-')}`;
    return new h.SafeString(`<span class="field-error" id="${escape(id)}" role="alert">${msgs.map(escape).join('；')}</span>`);
  });
  /** aria attributes of a field that was refused */
  h.registerHelper('invalid', (name: unknown, o: Options) => {
    const form = formOf(o);
    if (!form || !errorsFor(form, String(name)).length) return '';
    const id = `err-${String(name).replace(/[^A-Za-z0-9_-]/g, '-')}`;
    return new h.SafeString(`aria-invalid="true" aria-describedby="${escape(id)}"`);
  });
  /** field messages no field of the page showed (the layout lists them in the message area) */
  h.registerHelper('unshownErrors', (o: Options) => {
    const form = formOf(o);
    if (!form) return [];
    return form.errors.filter((e) => !form.shown.has(e.field));
  });

  // ---- lists: {{{sortHeader "code" "partners:col.code"}}} ----------------------------------------------------------
  h.registerHelper('sortHeader', (key: unknown, labelKey: unknown, o: Options) => {
    const root = o.data.root;
    const label = t(langOf(o), String(labelKey));
    const s = sortState(root.list as never, String(key), (root.currentPath as string) ?? '', (root.currentQuery as Record<string, string>) ?? {});
    const aria = s.active ? ` aria-sort="${s.dir === 'asc' ? 'ascending' : 'descending'}"` : '';
    const mark = s.active ? (s.dir === 'asc' ? ' ▲' : ' ▼') : '';
    return new h.SafeString(`<th scope="col"${aria}><a href="${escape(s.href)}">${escape(label)}${mark}</a></th>`);
  });
}

function isCheckboxLike(v: unknown): boolean {
  return typeof v === 'boolean';
}

function currentValue(o: Options, name: string, fallback: unknown): unknown {
  const form = formOf(o);
  if (form) {
    const v = valueAt(form.values, name);
    if (v !== undefined) return v;
  }
  return fallback;
}
