import ExcelJS from 'exceljs';
import { Response } from 'express';
import { Writable } from 'node:stream';
import { formatDate, formatDateTime } from '../i18n/format.util';

/**
 * Lists and reports as Excel files (exceljs, streamed): a header block naming the report, its filters and the time
 * of export, then one header row (in the reader's language) and the rows. Money is a number cell with two decimals.
 */
export type XlsxKind = 'text' | 'money' | 'number' | 'date' | 'datetime' | 'coefficient';
export interface XlsxColumn { header: string; key: string; kind?: XlsxKind; width?: number }
export interface XlsxReport {
  /** shown in the first row, and the sheet's name */
  title: string;
  /** [label, value] pairs shown under the title (already translated) */
  filters?: [string, string][];
  /** label of the "exported at" line, e.g. 导出时间 */
  exportedAtLabel: string;
  columns: XlsxColumn[];
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;
}

const FORMATS: Partial<Record<XlsxKind, string>> = { money: '#,##0.00', number: '#,##0.##', coefficient: '0.000000' };

function cell(kind: XlsxKind | undefined, v: unknown): unknown {
  if (v === null || v === undefined || v === '') return null;
  if (kind === 'money' || kind === 'number' || kind === 'coefficient') {
    const n = Number(v);
    return Number.isFinite(n) ? n : String(v);
  }
  if (kind === 'date') return formatDate(v);
  if (kind === 'datetime') return formatDateTime(v);
  // text cells: a leading = + - @ would be run as a formula by Excel
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
}

export async function writeXlsx(stream: Writable, report: XlsxReport): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(report.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1');
  ws.columns = report.columns.map((c) => ({ key: c.key, width: c.width ?? Math.max(10, Math.min(40, c.header.length * 2 + 4)), style: FORMATS[c.kind ?? 'text'] ? { numFmt: FORMATS[c.kind ?? 'text'] } : {} }));
  const titleRow = ws.addRow([report.title]);
  titleRow.font = { bold: true, size: 14 };
  titleRow.commit();
  for (const [label, value] of report.filters ?? []) ws.addRow([label, value]).commit();
  ws.addRow([report.exportedAtLabel, formatDateTime(new Date())]).commit();
  ws.addRow([]).commit();
  const header = ws.addRow(report.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  // one style object per column, shared by its cells: exceljs recognises a style it has seen by identity, and otherwise
  // serialises every cell's own copy to XML to look it up (most of the time of a 10,000-row report: bench:pages)
  const styles = report.columns.map((c) => (FORMATS[c.kind ?? 'text'] ? { numFmt: FORMATS[c.kind ?? 'text'] } : {}));
  for await (const r of report.rows as AsyncIterable<Record<string, unknown>>) {
    const row = ws.addRow(report.columns.map((c) => cell(c.kind, r[c.key])));
    for (let i = 0; i < styles.length; i++) row.getCell(i + 1).style = styles[i] as Partial<ExcelJS.Style>;
    row.commit();
  }
  ws.commit();
  await wb.commit();
}

/** `attachment; filename*=UTF-8''…` so Chinese file names survive (RFC 5987), with an ASCII fallback. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function sendXlsx(res: Response, fileName: string, report: XlsxReport): Promise<void> {
  res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader('Content-Disposition', contentDisposition(fileName.endsWith('.xlsx') ? fileName : `${fileName}.xlsx`));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  await writeXlsx(res, report);
}
