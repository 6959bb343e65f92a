import { CsvRowError } from '../../core/csv/csv.util';
import { isValidIsoDate, Quarter } from '../../core/period/period.util';

export const ACCRUAL_COLUMNS = ['partner_code', 'customer_code', 'product', 'accrual_date', 'amount', 'reference'] as const;
export type AccrualColumn = (typeof ACCRUAL_COLUMNS)[number];

/** amount: optional minus, up to 12 integer digits, up to 2 decimals, no thousands separators (numeric(14,2)) */
const AMOUNT = /^-?(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
const MAX_LENGTH: Record<AccrualColumn, number> = { partner_code: 20, customer_code: 64, product: 120, accrual_date: 10, amount: 16, reference: 120 };

/**
 * Format checks done while streaming, row by row (cheap, no database): required cells, lengths, ISO date inside the
 * period, amount format. Checks that need the database (unknown partner, duplicate reference, partner status on
 * the date, customer handed over) run set-based in SQL afterwards.
 */
export function checkAccrualRow(row: number, cells: string[], header: string[], period: Quarter): { errors: CsvRowError[]; values: Record<AccrualColumn, string> } {
  const values = {} as Record<AccrualColumn, string>;
  header.forEach((h, i) => ((values as Record<string, string>)[h] = (cells[i] ?? '').trim()));
  const errors: CsvRowError[] = [];
  if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== '')) {
    errors.push({ row, column: '(row)', message: 'settlement:csv.tooManyCells', params: { cells: cells.length, columns: header.length } });
  }
  for (const column of ACCRUAL_COLUMNS) {
    const v = values[column];
    if (!v) errors.push({ row, column, message: 'settlement:csv.required' });
    else if (v.length > MAX_LENGTH[column]) errors.push({ row, column, message: 'settlement:csv.tooLong', params: { max: MAX_LENGTH[column] } });
  }
  const date = values.accrual_date;
  if (date && !isValidIsoDate(date)) errors.push({ row, column: 'accrual_date', message: 'settlement:csv.badDate', params: { value: date, example: period.start } });
  else if (date && (date < period.start || date > period.end)) {
    errors.push({ row, column: 'accrual_date', message: 'settlement:csv.outsidePeriod', params: { value: date, period: period.code, start: period.start, end: period.end } });
  }
  const amount = values.amount;
  if (amount && !AMOUNT.test(amount)) errors.push({ row, column: 'amount', message: 'settlement:csv.badAmount', params: { value: amount } });
  return { errors, values };
}
