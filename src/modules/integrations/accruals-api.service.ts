import { Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { CsvImportError, CsvRowError } from '../../core/csv/csv.util';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { JobWork } from '../../core/jobs/job-work.service';
import { parsePeriod } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { AccrualImportService } from '../settlement/accrual-import.service';
import { BodyFormat, BodyFormatError, toAccrualCsv } from './accrual-body.util';
import { IdempotencyService, StoredResult } from './idempotency.service';
import { serviceActor, ServicePrincipal } from './service-accounts.service';

export const API_ACCRUALS_JOB = 'integrations.accruals';
/** Bodies above this (or of unknown length) are accepted as a job and answered 202 with a status URL. */
export const SYNC_MAX_BYTES = 2 * 1024 * 1024;
export const MAX_LINES = 1_000_000;

interface AccrualJobData { period: string; accountId: number; key: string; lineBase: number }

/** A JSON/NDJSON body's element n is CSV row n + 1 (after the header row): errors name the element. */
const shiftRows = (rows: CsvRowError[], by: number): CsvRowError[] => rows.map((r) => (r.row > 0 ? { ...r, row: r.row - by } : r));

/** The stored refusal: the row errors as keys, translated again for whoever asks (zh-CN or en). */
function refusal(e: unknown, lineBase: number): StoredResult | null {
  if (e instanceof CsvImportError) return { status: 422, body: { refused: { message: e.message, total: e.total, rows: shiftRows(e.errors, lineBase).slice(0, 1000) } } };
  if (e instanceof BodyFormatError) return { status: 422, body: { refused: { message: 'integrations:errors.badElement', total: 1, rows: [{ row: e.line, column: '(body)', message: 'integrations:errors.badElement', params: { detail: e.detail } }] } } };
  if (e instanceof RuleViolation) return { status: 422, body: { refused: { message: e.message, params: e.params, total: 0, rows: [] } } };
  return null;
}

/** A stored answer as what the controller sends (a stored refusal becomes the same error again). */
export function answer(r: StoredResult): StoredResult {
  const refused = (r.body as { refused?: { message: string; total: number; rows: CsvRowError[]; params?: Record<string, unknown> } })?.refused;
  if (refused) {
    if (!refused.rows.length) throw new RuleViolation(refused.message, undefined, refused.params);
    throw new CsvImportError(refused.rows, refused.total);
  }
  return r;
}

/**
 * `POST /api/v1/accruals`: the body (CSV, NDJSON or a JSON array) is turned into the CSV the accrual import reads and
 * streamed through its staging path (same checks, all or nothing). Small bodies are imported at once; large ones
 * are stored in job_upload and imported by a durable job. The Idempotency-Key is claimed in the import's transaction.
 */
@Injectable()
export class AccrualsApiService {
  constructor(
    @InjectDataSource() private readonly db: DataSource, private readonly imports: AccrualImportService,
    private readonly idem: IdempotencyService, private readonly jobs: JobQueue, work: JobWork,
  ) {
    work.define<AccrualJobData>(API_ACCRUALS_JOB, async (data, progress, file) => {
      const total = file!.content.length ? countLines(file!.content) : 0;
      const r = await this.importNow(data.accountId, data.period, data.key, Readable.from([file!.content]), data.lineBase, (n) => progress(n, total), true);
      if (r.status !== 201) return { message: 'integrations:job.refused' };
      return { message: 'integrations:job.imported', params: r.body as Record<string, unknown> };
    });
  }

  async submit(p: ServicePrincipal, key: string, periodCode: string, body: Readable, format: BodyFormat, contentLength: number | null, preferAsync: boolean): Promise<StoredResult> {
    const period = parsePeriod(periodCode).code;
    const route = `POST /api/v1/accruals?period=${period}`;
    const lineBase = format === 'csv' ? 0 : 1;
    const hash = createHash('sha256');
    const existing = await this.idem.find(p.accountId, key);
    if (existing) {
      for await (const chunk of body) hash.update(chunk);
      return answer(this.idem.replay(existing, route, hash.digest('hex')));
    }
    const csv = toAccrualCsv(body, format, hash);
    if (preferAsync || contentLength === null || contentLength > SYNC_MAX_BYTES) return this.accept(p, key, route, period, csv, hash, lineBase);
    // small body: claimed, imported and answered in one transaction
    const qr = this.db.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      if (!(await this.idem.claim(qr.manager, p.accountId, key, route, '0'.repeat(64)))) {
        await qr.rollbackTransaction();
        for await (const chunk of body) hash.update(chunk);
        return answer(this.idem.replay((await this.idem.find(p.accountId, key))!, route, hash.digest('hex')));
      }
      const r = await this.imports.importStream(serviceActor(p), period, limitLines(csv), { manager: qr.manager, fileName: `api:${key}`.slice(0, 255) });
      const result: StoredResult = { status: 201, body: { importId: r.importId, period: r.period, lineCount: r.lineCount, total: r.total } };
      await this.idem.complete(qr.manager, p.accountId, key, result, hash.digest('hex'));
      await qr.commitTransaction();
      return result;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      const refused = refusal(e, lineBase);
      if (!refused) throw e;
      // the rest of the body, for the hash a repeat is compared with; a body cut short (the import stopped reading it)
      // is not remembered: a repeat is checked again and refused the same way, nothing having been imported
      if (await drain(body, hash)) await this.idem.remember(p.accountId, key, route, hash.digest('hex'), refused);
      return answer(refused);
    } finally {
      await qr.release();
    }
  }

  /** A large body: converted and kept in job_upload, the key claimed and the job enqueued in one transaction. */
  private async accept(p: ServicePrincipal, key: string, route: string, period: string, csv: Readable, hash: ReturnType<typeof createHash>, lineBase: number): Promise<StoredResult> {
    const chunks: Buffer[] = [];
    try {
      for await (const c of limitLines(csv)) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    } catch (e) {
      const refused = refusal(e, lineBase);
      if (!refused) throw e;
      return answer(refused); // not remembered: nothing was read to the end, a corrected body may use the key
    }
    const content = Buffer.concat(chunks);
    const sha = hash.digest('hex');
    return this.db.transaction(async (m) => {
      if (!(await this.idem.claim(m, p.accountId, key, route, sha))) return answer(this.idem.replay((await this.idem.find(p.accountId, key, m))!, route, sha));
      const [up] = await m.query(`INSERT INTO job_upload (file_name, size_bytes, content, created_by) VALUES ($1, $2, $3, NULL) RETURNING id`, [`api-${p.accountName}-${key}`.slice(0, 255), content.length, content]);
      const actor = serviceActor(p);
      const jobId = await this.jobs.enqueue(API_ACCRUALS_JOB, { period, accountId: p.accountId, key, lineBase, uploadId: String(up.id), actor: { id: actor.id, username: actor.username, displayName: actor.displayName, role: actor.role, partnerId: null } }, { manager: m });
      const accepted: StoredResult = { status: 202, body: { status: 'accepted', jobId, statusUrl: `/api/v1/accruals/jobs/${jobId}` } };
      await m.query(`UPDATE api_idempotency SET status = 202, response = $3, job_id = $4 WHERE service_account_id = $1 AND key = $2`, [p.accountId, key, JSON.stringify(accepted.body), jobId]);
      return accepted;
    });
  }

  /** Run by the job: the import and the key's final answer commit together; a refusal is kept as the answer. */
  private async importNow(accountId: number, period: string, key: string, csv: Readable, lineBase: number, onProgress: (n: number) => void, fromJob: boolean): Promise<StoredResult> {
    const [a] = await this.db.query(`SELECT id, name FROM service_account WHERE id = $1`, [accountId]);
    const actor = serviceActor({ accountId, accountName: a?.name ?? String(accountId) });
    try {
      return await this.db.transaction(async (m) => {
        const r = await this.imports.importStream(actor, period, csv, { manager: m, fileName: `api:${key}`.slice(0, 255), progressEvery: 5000, onProgress });
        const result: StoredResult = { status: 201, body: { importId: r.importId, period: r.period, lineCount: r.lineCount, total: r.total } };
        await this.idem.complete(m, accountId, key, result);
        return result;
      });
    } catch (e) {
      const refused = refusal(e, lineBase);
      if (!refused || !fromJob) throw e;
      await this.db.query(`UPDATE api_idempotency SET status = $3, response = $4 WHERE service_account_id = $1 AND key = $2`, [accountId, key, refused.status, JSON.stringify(refused.body)]);
      return refused;
    }
  }

  /** What the status URL shows: the key's current answer (202 while running, then the import or the refusal). */
  async jobStatus(p: ServicePrincipal, jobId: string): Promise<Record<string, unknown>> {
    const [row] = await this.db.query(`SELECT i.status, i.response, jp.done, jp.total FROM api_idempotency i LEFT JOIN job_progress jp ON jp.job_id::text = i.job_id
      WHERE i.service_account_id = $1 AND i.job_id = $2`, [p.accountId, jobId]);
    if (!row) throw new NotFoundException({ message: 'integrations:errors.jobNotFound', code: 'not_found' });
    return { status: row.status === 202 ? 'running' : row.status === 201 ? 'completed' : 'refused', httpStatus: row.status, progress: { done: row.done ?? 0, total: row.total ?? null }, result: row.response };
  }
}

/** Reads what is left of the body into the hash; false when the body could not be read to its end. */
async function drain(body: Readable, hash: ReturnType<typeof createHash>): Promise<boolean> {
  try {
    for await (const chunk of body) hash.update(chunk);
  } catch {
    return false;
  }
  return body.readableEnded !== false;
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return Math.max(0, n - 1);
}

/** Refuses a body of more than MAX_LINES lines while streaming (no more is read). */
function limitLines(src: Readable): Readable {
  async function* gen() {
    let lines = 0;
    for await (const chunk of src) {
      const s = typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) lines++;
      if (lines > MAX_LINES + 1) throw new PayloadTooLargeException({ message: 'integrations:errors.tooManyLines', params: { max: MAX_LINES }, code: 'too_large' });
      yield s;
    }
  }
  return Readable.from(gen());
}
