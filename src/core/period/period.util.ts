import { RuleViolation } from '../web/errors';

/** A settlement/scoring period is a calendar quarter written `2026Q3`. Dates are ISO `YYYY-MM-DD` (local business dates, no time zone). */
export interface Quarter {
  code: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** first day, inclusive */
  start: string;
  /** last day, inclusive */
  end: string;
}

const PERIOD = /^(\d{4})Q([1-4])$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parsePeriod(code: string): Quarter {
  const m = PERIOD.exec((code ?? '').trim());
  if (!m) throw new RuleViolation('errors:period.invalid', 'period', { value: code ?? '' });
  const year = Number(m[1]);
  const quarter = Number(m[2]) as 1 | 2 | 3 | 4;
  const startMonth = (quarter - 1) * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(Date.UTC(year, endMonth, 0)).getUTCDate();
  return { code: `${year}Q${quarter}`, year, quarter, start: `${year}-${pad(startMonth)}-01`, end: `${year}-${pad(endMonth)}-${pad(lastDay)}` };
}

export function isValidIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text ?? '');
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function periodOfDate(isoDate: string): Quarter {
  if (!isValidIsoDate(isoDate)) throw new RuleViolation('errors:date.invalid', 'date', { value: isoDate ?? '' });
  const [y, mo] = isoDate.split('-').map(Number);
  return parsePeriod(`${y}Q${Math.floor((mo - 1) / 3) + 1}`);
}

export function isDateInPeriod(isoDate: string, period: Quarter): boolean {
  return isValidIsoDate(isoDate) && isoDate >= period.start && isoDate <= period.end;
}

export function previousPeriod(code: string): Quarter {
  const q = parsePeriod(code);
  return q.quarter === 1 ? parsePeriod(`${q.year - 1}Q4`) : parsePeriod(`${q.year}Q${q.quarter - 1}`);
}

export function nextPeriod(code: string): Quarter {
  const q = parsePeriod(code);
  return q.quarter === 4 ? parsePeriod(`${q.year + 1}Q1`) : parsePeriod(`${q.year}Q${q.quarter + 1}`);
}

/** The business date (ISO) of an instant, today by default, in the server's time zone: deployments set TZ, e.g. Asia/Shanghai. */
export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
