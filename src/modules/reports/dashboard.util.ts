import Decimal from 'decimal.js';
import { previousPeriod } from '../../core/period/period.util';

/** The `count` quarters ending with `period`, oldest first. */
export function lastQuarters(period: string, count: number): string[] {
  const out = [period];
  while (out.length < count) out.unshift(previousPeriod(out[0]).code);
  return out;
}

/** Trend of Y against the previous quarter: up, down or flat, with the signed difference (2 decimals). */
export function trendOf(y: string | null, prev: string | null): { dir: 'up' | 'down' | 'flat' | 'new'; delta: string } {
  if (y === null) return { dir: 'flat', delta: '' };
  if (prev === null) return { dir: 'new', delta: '' };
  const d = new Decimal(y).minus(prev);
  const delta = (d.gt(0) ? '+' : '') + d.toFixed(2);
  return { dir: d.gt(0) ? 'up' : d.lt(0) ? 'down' : 'flat', delta };
}

/** Monday and Sunday (ISO dates) of the week of an ISO date. */
export function weekOf(isoDate: string): { from: string; to: string } {
  const [y, m, d] = isoDate.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const back = (day.getUTCDay() + 6) % 7;
  const from = new Date(day.getTime() - back * 86_400_000);
  const to = new Date(from.getTime() + 6 * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** Percentage of fulfilled over required, 1 decimal, as text (empty when nothing is required). */
export function percentText(fulfilled: number, required: number): string {
  return required > 0 ? new Decimal(fulfilled).times(100).div(required).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1) : '';
}

/** Bytes as MB with 2 decimals (storage panel). */
export function megabytes(bytes: string | number): string {
  return new Decimal(bytes || 0).div(1024 * 1024).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}
