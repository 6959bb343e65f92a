import { todayIso } from '../../core/period/period.util';

/** ISO date arithmetic on business dates (no time zone): 'YYYY-MM-DD' in, 'YYYY-MM-DD' out. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function diffDays(fromIso: string, toIso: string): number {
  const t = (iso: string) => { const [y, m, d] = iso.split('-').map(Number); return Date.UTC(y, m - 1, d); };
  return Math.round((t(toIso) - t(fromIso)) / 86_400_000);
}

/** The local business date of an instant (same convention as todayIso). */
export function localDateOf(at: Date): string {
  return todayIso(at);
}

/** The server's local wall time to the minute, as a datetime-local input shows it (records are read back in local time). */
export function localMinuteOf(at: Date): string {
  return `${localDateOf(at)}T${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}
