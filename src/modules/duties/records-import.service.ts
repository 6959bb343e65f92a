import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { checkHeader, CsvImportError, CsvRowError } from '../../core/csv/csv.util';
import { decodeCsvBuffer } from '../../core/csv/encoding';
import { csvRecordBatches, CsvSyntaxError } from '../../core/csv/csv-batches';
import { isPglite } from '../../core/database/db-kind.util';
import { StagingSink, stagingSink, textArrayLiteral } from '../../core/database/staging-sink';
import { periodOfDate } from '../../core/period/period.util';
import { localDateOf } from './date.util';
import { DEFAULT_COMPLAINT_HOURS } from './duty-rules.util';
import { checkRecordInput } from './record-input.util';
import * as Q from './queries/record-import.sql';

export const RECORD_CSV_COLUMNS = ['customer_code', 'record_type', 'occurred_at', 'description'] as const;
export const RECORD_CSV_OPTIONAL = ['received_at', 'outcome', 'amount', 'attachments'] as const;
const CSV_COLUMN: Record<string, string> = {
  recordType: 'record_type', occurredAt: 'occurred_at', receivedAt: 'received_at', description: 'description', outcome: 'outcome', amount: 'amount', attachmentNames: 'attachments',
};

/** Within a row: the row's shape first, then the customer, then the fields (in the record form's order). */
const rank = (e: CsvRowError) => (e.column === '(row)' ? 0 : e.column === 'customer_code' ? 1 : 2);

/** Errors shown (in the API answer, on the job page); the total is always counted. */
const SHOWN_ERRORS = 500;
const KEPT_ERRORS = 10_000;

export interface RecordImportOptions {
  onProgress?: (rows: number) => void; progressEvery?: number; now?: Date;
  /** once-only key (the job id): a second run with the same key — a job retried after its process died right after
   *  the commit — answers the first run's counts instead of importing the file again */
  key?: string;
}
export interface RecordImportResult { records: number; ticked: number; seconds: number }

/**
 * A partner's records CSV, set-based and all or nothing: the file is streamed into a temporary staging table (COPY on
 * PostgreSQL, 5,000-row INSERTs on PGlite) outside any transaction, the field rules run while reading (the same pure
 * checks as the record form), the database rules (customer known, the partner's on that day, quarter not locked) run
 * as SQL, and a short transaction writes every record with one INSERT … SELECT and ticks the checklist with one UPDATE.
 */
@Injectable()
export class RecordsImportService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  async importCsv(actor: Actor, content: string | Buffer, opts: RecordImportOptions = {}): Promise<RecordImportResult> {
    const partnerId = actor.partnerId;
    if (actor.role !== 'partner' || !partnerId) throw new NotFoundException('duties:errors.partnersOnly');
    const started = Date.now();
    if (opts.key) {
      const [done] = await this.db.query(`SELECT after FROM audit_log WHERE entity_type = 'service_record_import' AND entity_id = $1 LIMIT 1`, [opts.key]);
      const after = typeof done?.after === 'string' ? JSON.parse(done.after) : done?.after;
      if (done) return { records: Number(after?.records ?? 0), ticked: Number(after?.ticked ?? 0), seconds: 0 };
    }
    const text = Buffer.isBuffer(content) ? decodeCsvBuffer(content) : content;
    const table = `record_staging_${randomBytes(6).toString('hex')}`;
    const qr = this.db.createQueryRunner();
    const client = (await qr.connect()) as PoolClient;
    try {
      await qr.query(Q.createStaging(table));
      const copy = (await isPglite(qr)) ? null : client;
      const { errors, total, rows } = await this.stage(stagingSink(qr, copy, table, Q.STAGING_COLUMNS), text, opts);
      if (rows === 0) throw new CsvImportError([{ row: 1, column: '(header)', message: 'common:csv.noRows' }]);
      await qr.query(`ANALYZE ${table} (customer_code, period)`); // the join keys: the other columns need no statistics
      const found: (CsvRowError & { total: string })[] = await qr.query(Q.databaseRules(table), [KEPT_ERRORS, partnerId]);
      const errorTotal = total + Number(found[0]?.total ?? 0);
      for (const { row, column, message, params: p } of found) errors.push({ row, column, message, params: typeof p === 'string' ? JSON.parse(p) : p });
      if (errorTotal) throw new CsvImportError(errors.sort((a, b) => a.row - b.row || rank(a) - rank(b)).slice(0, SHOWN_ERRORS), errorTotal);
      // the only transaction: two statements over the checked rows, then the audit entry
      await qr.startTransaction();
      // the insert sorts the rows into file order: in memory rather than through temporary files (100,000 rows ≈ 15 MB)
      await qr.query(`SET LOCAL work_mem = '64MB'`);
      const [{ n: records }] = await qr.query(Q.insertRecords(table), [partnerId, actor.id > 0 ? actor.id : null, DEFAULT_COMPLAINT_HOURS.A, DEFAULT_COMPLAINT_HOURS.B, DEFAULT_COMPLAINT_HOURS.C]);
      const [{ n: ticked }] = await qr.query(Q.tickItems(table), [partnerId]);
      await this.audit.record(actor, { action: 'record.import', entityType: 'service_record_import', entityId: opts.key ?? new Date().toISOString(), partnerId, after: { records, ticked } }, qr.manager);
      await qr.commitTransaction();
      return { records, ticked, seconds: (Date.now() - started) / 1000 };
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await qr.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await qr.release();
    }
  }

  /** Reads the file, checks each row's fields, stages every row (refused ones flagged). Returns the field errors. */
  private async stage(sink: StagingSink, text: string, opts: RecordImportOptions) {
    const now = opts.now ?? new Date();
    const every = opts.progressEvery ?? 100_000;
    const errors: CsvRowError[] = [];
    let total = 0;
    const refuse = (e: CsvRowError) => { total++; if (errors.length < KEPT_ERRORS) errors.push(e); };
    let header: string[] | null = null;
    let row = 0;
    const dates = new LocalDates();
    try {
      for (const batch of csvRecordBatches(text)) {
        const staged: (string | null)[][] = [];
        const from = row;
        for (const cells of batch) {
          row++;
          if (!header) {
            header = cells.map((h) => h.trim());
            checkHeader(header, RECORD_CSV_COLUMNS, RECORD_CSV_OPTIONAL);
            continue;
          }
          const v: Record<string, string> = {};
          header.forEach((h, j) => (v[h] = (cells[j] ?? '').trim()));
          const before = total;
          if (cells.length > header.length) refuse({ row, column: '(row)', message: 'duties:csv.extraCells' });
          const code = v.customer_code ?? '';
          if (!code) refuse({ row, column: 'customer_code', message: 'duties:csv.customerRequired', params: { code } });
          const checked = checkRecordInput({
            recordType: v.record_type, occurredAt: v.occurred_at, receivedAt: v.received_at, description: v.description,
            outcome: v.outcome, amount: v.amount, attachmentNames: v.attachments,
          }, now);
          for (const e of checked.errors) refuse({ row, column: CSV_COLUMN[e.field] ?? e.field, message: e.message, params: e.params });
          const c = checked.value;
          // the database rules run on every row with a code; assignment and lock only on rows whose fields passed
          if (c && total === before) {
            const { date, period } = dates.of(c.occurredAt);
            staged.push([String(row), code, 't', c.recordType, c.occurredAt.toISOString(), c.receivedAt?.toISOString() ?? null, date,
              period, c.description, c.outcome, c.amount, textArrayLiteral(c.attachmentNames)]);
          } else {
            staged.push([String(row), code, 'f', null, null, null, null, null, null, null, null, null]);
          }
        }
        await sink.addRows(staged);
        if (Math.floor(Math.max(0, row - 1) / every) > Math.floor(Math.max(0, from - 1) / every)) opts.onProgress?.(row - 1);
        await new Promise((r) => setImmediate(r)); // between two batches the process answers other requests
      }
    } catch (e) {
      sink.abort();
      if (e instanceof CsvSyntaxError) {
        throw new CsvImportError([{ row: e.record, column: '(file)', message: 'common:csv.unreadable', params: { detail: e.message } }]);
      }
      throw e;
    }
    if (!header) { sink.abort(); throw new CsvImportError([{ row: 1, column: '(header)', message: 'common:csv.empty' }]); }
    await sink.end();
    opts.onProgress?.(row - 1);
    return { errors, total, rows: row - 1 };
  }
}

/**
 * The business date and quarter of an instant, remembered per 15 minutes of UTC: every zone's offset is a multiple of
 * 15 minutes, so all instants of one such slot fall on the same local date (a file's rows share few slots).
 */
class LocalDates {
  private readonly slots = new Map<number, { date: string; period: string }>();
  of(at: Date): { date: string; period: string } {
    const slot = Math.floor(at.getTime() / 900_000);
    let v = this.slots.get(slot);
    if (!v) {
      const date = localDateOf(at);
      v = { date, period: periodOfDate(date).code };
      if (this.slots.size > 100_000) this.slots.clear();
      this.slots.set(slot, v);
    }
    return v;
  }
}
