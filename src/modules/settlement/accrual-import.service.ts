import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { PoolClient } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { checkHeader, CsvImportError, CsvRowError } from '../../core/csv/csv.util';
import { parsePeriod } from '../../core/period/period.util';
import { ACCRUAL_COLUMNS, checkAccrualRow } from './accrual-row.util';
import { stagingSink } from '../../core/database/staging-sink';
import * as Q from './queries/accrual-import.sql';
import { isPglite, tableColumns } from './db-kind.util';

export interface AccrualImportResult { importId: number; period: string; lineCount: number; total: string; seconds: number }
export interface ImportOptions { fileName?: string; onProgress?: (lines: number) => void; manager?: EntityManager; /** lines between two progress reports (default 100,000) */ progressEvery?: number }

const MAX_ERRORS_PER_CHECK = 1000;
const PROGRESS_EVERY = 100_000;

/**
 * Streams an accrual file into a temporary staging table (COPY on PostgreSQL, 5,000-row statements on PGlite — the
 * shared sink in core/database/staging-sink.ts),
 * checks it set-based in SQL, and inserts it in the same transaction — all or nothing.
 */
@Injectable()
export class AccrualImportService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  async importStream(actor: Actor, periodCode: string, source: Readable, opts: ImportOptions = {}): Promise<AccrualImportResult> {
    const period = parsePeriod(periodCode);
    const started = Date.now();
    // inside a caller's transaction (demo seed) the caller's connection is used; otherwise our own, for COPY
    const own = !opts.manager?.queryRunner;
    const qr = opts.manager?.queryRunner ?? this.db.createQueryRunner();
    const client = own ? ((await qr.connect()) as PoolClient) : null;
    const useCopy = !!client && !(await isPglite(qr));
    if (own) await qr.startTransaction();
    try {
      await qr.query('DROP TABLE IF EXISTS pg_temp.accrual_staging');
      await qr.query(Q.CREATE_STAGING);
      const errors = await this.stage(qr, useCopy ? client : null, source, period, opts.onProgress, opts.progressEvery ?? PROGRESS_EVERY);
      await qr.query('ANALYZE accrual_staging');
      errors.push(...(await this.checkInDatabase(qr)));
      if (errors.length) throw new CsvImportError(errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column)));
      const [{ line_count: lineCount, total }] = await qr.query(Q.STAGING_TOTALS);
      if (lineCount === 0) throw new CsvImportError([{ row: 1, column: '(file)', message: 'settlement:csv.noLines' }]);
      const [{ id: importId }] = await qr.query(Q.INSERT_IMPORT, [period.code, (opts.fileName ?? '').slice(0, 255), lineCount, total, actor.id > 0 ? actor.id : null]);
      const withCustomer = (await tableColumns(qr, 'customer')).includes('code');
      await qr.query(Q.insertLines(withCustomer), [importId, period.code]);
      await qr.query('DROP TABLE accrual_staging');
      await this.audit.record(actor, { action: 'accruals.import', entityType: 'accrual_import', entityId: importId, after: { period: period.code, lineCount, total, fileName: opts.fileName } }, qr.manager);
      if (own) await qr.commitTransaction();
      return { importId, period: period.code, lineCount, total, seconds: (Date.now() - started) / 1000 };
    } catch (e) {
      if (own && qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      if (own) await qr.release();
    }
  }

  /** Parses and format-checks while streaming; good rows go to the staging table. Returns the format errors. */
  private async stage(qr: QueryRunner, client: PoolClient | null, source: Readable, period: ReturnType<typeof parsePeriod>, onProgress: ((n: number) => void) | undefined, every: number): Promise<CsvRowError[]> {
    const errors: CsvRowError[] = [];
    const parser = source.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: false }));
    source.on('error', (e) => parser.destroy(e));
    const sink = stagingSink(qr, client, 'accrual_staging', Q.STAGING_COLUMNS);
    let header: string[] | null = null;
    let row = 0;
    try {
      for await (const cells of parser as AsyncIterable<string[]>) {
        row++;
        if (!header) {
          header = cells.map((h) => h.trim());
          checkHeader(header, ACCRUAL_COLUMNS);
          continue;
        }
        const { errors: rowErrors, values } = checkAccrualRow(row, cells, header, period);
        if (rowErrors.length) {
          if (errors.length < 10 * MAX_ERRORS_PER_CHECK) errors.push(...rowErrors);
        } else {
          await sink.add([String(row), values.partner_code, values.customer_code, values.product, values.accrual_date, values.amount, values.reference]);
        }
        if ((row - 1) % every === 0) onProgress?.(row - 1);
        if (row % 2000 === 0) await new Promise((r) => setImmediate(r)); // let the process answer other requests
      }
    } catch (e) {
      sink.abort();
      if (!String((e as { code?: string }).code ?? '').startsWith('CSV_')) throw e;
      throw new CsvImportError([{ row: row + 1, column: '(file)', message: 'common:csv.unreadable', params: { detail: (e as Error).message } }]);
    }
    if (!header) { sink.abort(); throw new CsvImportError([{ row: 1, column: '(header)', message: 'common:csv.empty' }]); }
    await sink.end();
    if ((row - 1) % every !== 0) onProgress?.(row - 1);
    return errors;
  }

  private async checkInDatabase(qr: QueryRunner): Promise<CsvRowError[]> {
    const errors: CsvRowError[] = [];
    for (const sql of [Q.UNKNOWN_PARTNER, Q.DUPLICATE_IN_FILE, Q.PARTNER_NOT_WORKING]) errors.push(...rowErrors(await qr.query(sql, [MAX_ERRORS_PER_CHECK])));
    const dup: (CsvRowError & { reference: string; import_id: number })[] = await qr.query(Q.ALREADY_IMPORTED, [MAX_ERRORS_PER_CHECK]);
    if (dup.length) {
      const [{ n }] = await qr.query(Q.COUNT_ALREADY_IMPORTED);
      const imports = [...new Set(dup.map((d) => d.import_id))].map((i) => `#${i}`).join(', ');
      errors.push({ row: 0, column: '(file)', message: 'settlement:csv.alreadyImportedFile', params: { count: n, imports, references: `${dup.slice(0, 20).map((d) => d.reference).join(', ')}${n > 20 ? ', …' : ''}` } });
      errors.push(...rowErrors(dup));
    }
    errors.push(...(await this.customerChecks(qr)));
    return errors;
  }

  /** Only when the customers module's assignment table exists (it is written by another module). */
  private async customerChecks(qr: QueryRunner): Promise<CsvRowError[]> {
    const cols = await tableColumns(qr, 'customer_assignment');
    const customerCols = await tableColumns(qr, 'customer');
    if (!customerCols.includes('code') || !cols.includes('customer_id') || !cols.includes('partner_id')) return [];
    const fromCol = ['valid_from', 'effective_from', 'assigned_from', 'start_on', 'from_on', 'starts_on'].find((c) => cols.includes(c));
    const toCol = ['valid_to', 'effective_to', 'assigned_to', 'end_on', 'to_on', 'ends_on'].find((c) => cols.includes(c));
    if (!fromCol || !toCol) return [];
    return rowErrors(await qr.query(Q.customerHandedOver(fromCol, toCol), [MAX_ERRORS_PER_CHECK]));
  }
}

/** Rows of a set-based check as row errors: a message key with its params (a JSON object from the query). */
function rowErrors(rows: { row: number; column: string; message: string; params?: unknown }[]): CsvRowError[] {
  return rows.map(({ row, column, message, params }) => ({ row, column, message, params: (typeof params === 'string' ? JSON.parse(params) : params ?? undefined) as Record<string, unknown> | undefined }));
}
