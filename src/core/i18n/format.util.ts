import Decimal from 'decimal.js';
import { businessTimeZone } from './business-time-zone';

/**
 * How the portal prints dates, times and money, in every language: dates `2026-09-01`, times `2026-09-01 14:05`
 * in the business time zone, money `1,234.50` (two decimals, thousands separators, half away from zero).
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parts(d: Date): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: businessTimeZone(), year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  return Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
}

function toDate(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** A business date. ISO date strings (already local dates) are kept; instants are shown in the business zone. */
export function formatDate(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string' && ISO_DATE.test(v)) return v;
  const d = toDate(v);
  if (!d) return String(v);
  const p = parts(d);
  return `${p.year}-${p.month}-${p.day}`;
}

/** An instant to the minute in the business time zone: `2026-09-01 14:05`. */
export function formatDateTime(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string' && ISO_DATE.test(v)) return v;
  const d = toDate(v);
  if (!d) return String(v);
  const p = parts(d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Money with thousands separators and two decimals, rounded half away from zero. */
export function formatMoney(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  try {
    const d = new Decimal(String(v)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const [i, f] = d.abs().toFixed(2).split('.');
    return `${d.isNegative() && !d.isZero() ? '-' : ''}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
  } catch {
    return String(v);
  }
}

/** Money with the currency sign, where a sign helps (totals, statements): `¥1,234.50`, `-¥12.00`. */
export function formatYuan(v: unknown): string {
  const m = formatMoney(v);
  if (!m) return '';
  return m.startsWith('-') ? `-¥${m.slice(1)}` : `¥${m}`;
}
