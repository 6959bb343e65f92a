import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** One problem in an uploaded file. Row numbers count the header as row 1, as a spreadsheet shows them. */
export interface CsvRowError {
  row: number;
  column: string;
  message: string;
}

/** Thrown when an import is refused. Nothing has been written: imports are all or nothing. */
export class CsvImportError extends Error {
  constructor(public readonly errors: CsvRowError[], public readonly total = errors.length) {
    super(`${total} problem(s) in the file; nothing was imported. ` +
      errors.slice(0, 5).map(formatRowError).join('; ') + (total > 5 ? `; and ${total - 5} more` : ''));
  }
}

export function formatRowError(e: CsvRowError): string {
  return e.row > 0 ? `row ${e.row}, column ${e.column}: ${e.message}` : `${e.column}: ${e.message}`;
}

export interface ParsedCsv {
  /** rows as header->value maps, each with its spreadsheet row number */
  rows: { row: number; values: Record<string, string> }[];
}

/** Parses a whole (small or medium) CSV held in memory, checking the header first. */
export function parseCsv(text: string | Buffer, expectedColumns: readonly string[], opts: { optionalColumns?: readonly string[] } = {}): ParsedCsv {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: false });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new CsvImportError([{ row: line ?? 0, column: '(file)', message: `not readable as CSV: ${(err as Error).message}` }]);
  }
  if (records.length === 0) throw new CsvImportError([{ row: 1, column: '(header)', message: 'the file is empty' }]);
  const header = records[0].map((h) => h.trim());
  checkHeader(header, expectedColumns, opts.optionalColumns ?? []);
  const rows = records.slice(1).map((cells, i) => {
    const values: Record<string, string> = {};
    header.forEach((h, j) => (values[h] = (cells[j] ?? '').trim()));
    if (cells.length > header.length) values.__extra = cells.slice(header.length).join(',');
    return { row: i + 2, values };
  });
  return { rows };
}

export function checkHeader(header: string[], expected: readonly string[], optional: readonly string[] = []): void {
  const missing = expected.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !expected.includes(c) && !optional.includes(c));
  const errors: CsvRowError[] = [];
  if (missing.length) errors.push({ row: 1, column: '(header)', message: `missing column(s): ${missing.join(', ')}; expected ${expected.join(',')}` });
  if (unknown.length) errors.push({ row: 1, column: '(header)', message: `unknown column(s): ${unknown.join(', ')}` });
  if (errors.length) throw new CsvImportError(errors);
}

/**
 * Escapes a cell for CSV export so a spreadsheet never runs it as a formula (CSV injection):
 * text starting with = + - @ (or tab/CR) gets a leading apostrophe. Plain numbers such as -12.50 are left alone.
 */
export function safeCsvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function toCsv(header: readonly string[], rows: readonly unknown[][]): string {
  return stringify([header as string[], ...rows.map((r) => r.map(safeCsvCell))]);
}
