import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { decodeCsvBuffer } from './encoding';

/** One problem in an uploaded file. Row numbers count the header as row 1, as a spreadsheet shows them. */
export interface CsvRowError {
  row: number;
  column: string;
  /** a catalogue key (`module:csv.something`) or text */
  message: string;
  params?: Record<string, unknown>;
}

/** Thrown when an import is refused. Nothing has been written: imports are all or nothing. */
export class CsvImportError extends Error {
  constructor(public readonly errors: CsvRowError[], public readonly total = errors.length) {
    super('common:csv.refused');
  }

  /** placeholders of the summary message */
  get params(): Record<string, unknown> {
    return { count: this.total };
  }
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** "第 12 行，列 amount：…" in the reader's language. */
export function formatRowError(e: CsvRowError, t: Translate = (k) => k): string {
  const message = t(e.message, e.params);
  return e.row > 0 ? t('common:csv.rowError', { row: e.row, column: e.column, message }) : t('common:csv.fileError', { column: e.column, message });
}

export interface ParsedCsv {
  /** rows as header->value maps, each with its spreadsheet row number */
  rows: { row: number; values: Record<string, string> }[];
}

/** Parses a whole (small or medium) CSV held in memory, checking the header first. */
export function parseCsv(input: string | Buffer, expectedColumns: readonly string[], opts: { optionalColumns?: readonly string[] } = {}): ParsedCsv {
  const text = Buffer.isBuffer(input) ? decodeCsvBuffer(input) : input;
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: false });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new CsvImportError([{ row: line ?? 0, column: '(file)', message: 'common:csv.unreadable', params: { detail: (err as Error).message } }]);
  }
  if (records.length === 0) throw new CsvImportError([{ row: 1, column: '(header)', message: 'common:csv.empty' }]);
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
  if (missing.length) errors.push({ row: 1, column: '(header)', message: 'common:csv.missingColumns', params: { missing: missing.join(', '), expected: expected.join(',') } });
  if (unknown.length) errors.push({ row: 1, column: '(header)', message: 'common:csv.unknownColumns', params: { unknown: unknown.join(', ') } });
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

/** UTF-8 byte order mark: Excel on Chinese Windows reads a CSV without it as GBK (mojibake). */
export const CSV_BOM = '\uFEFF';

/** A CSV download: BOM first, then the header and the rows (cells made formula-safe). */
export function toCsv(header: readonly string[], rows: readonly unknown[][]): string {
  return CSV_BOM + stringify([header as string[], ...rows.map((r) => r.map(safeCsvCell))]);
}
