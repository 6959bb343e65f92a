import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { XlsxColumn, XlsxReport } from '../../core/export/xlsx.util';
import { toCsv } from '../../core/csv/csv.util';
import { todayIso } from '../../core/period/period.util';
import { ListQuery } from '../../core/web/list-query';
import { RegionsService } from '../regions/regions.service';
import { ReportFilter } from './queries/reports.sql';
import { ReportDef } from './report-defs';
import { filterLines } from './report-filter.util';

/** Rows of a whole export at most (a report is an aggregate: far fewer rows in practice). */
export const EXPORT_MAX_ROWS = 100_000;
type Row = Record<string, unknown>;
type Translate = (key: string, params?: Record<string, unknown>) => string;

/** Runs the reports: a page with its total, or every row for an export (.xlsx with the header block, or CSV with BOM). */
@Injectable()
export class ReportsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly regions: RegionsService) {}

  private env() { return { today: todayIso(), tz: process.env.TZ || 'Asia/Shanghai' }; }

  /**
   * A report query with PostgreSQL's JIT off: the planner's row estimates over grouped CTEs run into the millions, and
   * JIT then spent 1.6 s compiling a query that runs in 0.2 s (bench:pages, ranking at 10,000 partners).
   */
  private async run<T = Row>(sql: string, params: unknown[]): Promise<T[]> {
    return this.db.transaction(async (m) => {
      await m.query('SET LOCAL jit = off');
      return m.query(sql, params);
    });
  }

  /** One execution for the page and the total (count(*) OVER ()): a report is an aggregate, running it twice doubled its time. */
  async page(def: ReportDef, f: ReportFilter, list: ListQuery): Promise<{ rows: Row[]; total: number }> {
    const q = def.query(f, this.env());
    const n = q.params.length;
    const rows = await this.run<Row & { __total: string }>(
      `SELECT r.*, count(*) OVER () AS __total FROM (${q.text}) r ORDER BY ${list.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`, [...q.params, list.size, list.offset]);
    if (rows.length) return { rows, total: Number(rows[0].__total) };
    // past the last page (or nothing at all): the total alone
    const [count] = await this.run<{ total: number }>(`SELECT count(*)::int AS total FROM (${q.text}) r`, q.params);
    return { rows, total: count.total };
  }

  async all(def: ReportDef, f: ReportFilter, list: ListQuery): Promise<Row[]> {
    const q = def.query(f, this.env());
    return this.run(`SELECT * FROM (${q.text}) r ORDER BY ${list.orderBy} LIMIT ${EXPORT_MAX_ROWS}`, q.params);
  }

  prefectures(): Promise<string[]> { return this.regions.prefectureNames(); }

  /** A cell as shown and exported: codes in words, the rest as SQL gave it (decimal text). */
  cellText(def: ReportDef, key: string, row: Row, t: Translate): unknown {
    const c = def.columns.find((x) => x.key === key)!;
    const v = row[sqlKey(key)];
    if (c.codeLabel && v !== null && v !== undefined && v !== '') return t(`${c.codeLabel}.${String(v)}`);
    return v;
  }

  xlsx(def: ReportDef, f: ReportFilter, rows: Row[], t: Translate): XlsxReport {
    const columns: XlsxColumn[] = def.columns.map((c) => ({ header: t(c.label), key: c.key, kind: c.codeLabel ? 'text' : c.kind }));
    return {
      title: t(def.title), exportedAtLabel: t('reports:exportedAt'),
      filters: filterLines(f, def.filters).map(([k, v]) => [t(k), v]),
      columns,
      rows: rows.map((r) => Object.fromEntries(def.columns.map((c) => [c.key, this.cellText(def, c.key, r, t)]))),
    };
  }

  csv(def: ReportDef, rows: Row[], t: Translate): string {
    return toCsv(def.columns.map((c) => t(c.label)), rows.map((r) => def.columns.map((c) => this.cellText(def, c.key, r, t))));
  }
}

/** output column of a report column key (snake_case in SQL) */
export function sqlKey(key: string): string {
  return key.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
}
