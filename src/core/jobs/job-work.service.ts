import { HttpException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { CsvImportError, CsvRowError } from '../csv/csv.util';
import { RuleViolation } from '../web/errors';
import { JobContext, JobQueue } from './job-queue.service';

/** An uploaded file as a job reads it back from `job_upload`. */
export interface WorkFile { name: string; content: Buffer }

/** What finished work tells its starter: a message key with params, and where to look at what it made. */
export interface WorkDone { message: string; params?: Record<string, unknown>; link?: { href: string; label: string } }

/** Stored as the job's result and shown on /jobs/:id: done (message, link) or refused (message, row errors). */
export interface WorkResult extends Partial<WorkDone> { ok: boolean; errors?: CsvRowError[]; errorTotal?: number }

/** Rows shown on the job page; the total count is kept beside them. */
export const SHOWN_ROW_ERRORS = 200;
/** Uploads of jobs that never finished (retries exhausted) are dropped after this long. */
const STALE_UPLOAD_DAYS = 7;

/** Progress a piece of work reports; written to job_progress at most twice a second. */
export type Progress = (done: number, total?: number | null) => void;

type JobActor = Pick<Actor, 'id' | 'username' | 'displayName' | 'role' | 'partnerId'>;
type WorkData<T> = T & { actor: JobActor; uploadId?: string | null };

/** Counts the lines of an uploaded CSV (minus the header): the total a progress bar runs up to. */
export function countDataLines(content: Buffer): number {
  let n = 0;
  for (let i = content.indexOf(10); i !== -1; i = content.indexOf(10, i + 1)) n++;
  if (content.length && content[content.length - 1] !== 10) n++;
  return Math.max(0, n - 1);
}

/** A refusal the person must act on (bad file, business rule): kept as the job's result, never retried. */
export function asRefusal(e: unknown): WorkResult | null {
  if (e instanceof CsvImportError) {
    return { ok: false, message: e.message, params: e.params, errors: e.errors.slice(0, SHOWN_ROW_ERRORS), errorTotal: e.total };
  }
  if (e instanceof RuleViolation) return { ok: false, message: e.message, params: e.params };
  if (e instanceof HttpException && e.getStatus() < 500) {
    const body = e.getResponse() as string | { message?: string | string[]; params?: Record<string, unknown> };
    const message = typeof body === 'string' ? body : Array.isArray(body.message) ? body.message.join('; ') : body.message ?? e.message;
    return { ok: false, message, params: typeof body === 'object' ? body.params : undefined };
  }
  return null;
}

/** Writes progress at most every `everyMs`, never two writes at once; `flush` writes the last figure. */
export function throttledProgress(ctx: JobContext, everyMs = 500): { report: Progress; flush(): Promise<void> } {
  let last = 0;
  let pending: Promise<void> = Promise.resolve();
  let latest: [number, number | null | undefined] | null = null;
  let writing = false;
  const write = () => {
    if (!latest) return;
    const [d, t] = latest;
    latest = null;
    writing = true;
    last = Date.now();
    pending = ctx.progress(d, t).catch(() => undefined).finally(() => { writing = false; });
  };
  return {
    report: (done, total) => {
      latest = [done, total];
      if (!writing && Date.now() - last >= everyMs) write();
    },
    flush: async () => { await pending; write(); await pending; },
  };
}

/**
 * Long work a person starts from a page (imports, settlement run, checklist generation) runs as a durable job: the
 * uploaded file is stored in `job_upload` (several hosts share only the database), the job is enqueued in the same
 * transaction, and the person follows it at /jobs/:id. The result (or the refusal with its row errors) is kept in
 * job_progress.result. All or nothing stays the work's own business.
 */
/** Told when a piece of work ends, in the transaction that drops its upload (a module tells the person, e.g. notifications). */
export type WorkListener = (ended: { jobId: string; queue: string; startedBy: number; result: WorkResult }, m: EntityManager) => Promise<void>;

@Injectable()
export class JobWork {
  private readonly listeners: WorkListener[] = [];

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly jobs: JobQueue) {}

  /** Modules that want to know when work ends register here (core does not know them). */
  onEnded(listener: WorkListener): void {
    this.listeners.push(listener);
  }

  define<T>(name: string, run: (data: WorkData<T>, progress: Progress, file: WorkFile | null, jobId: string) => Promise<WorkDone>, opts: { expireInSeconds?: number } = {}): void {
    this.jobs.define<WorkData<T>>({
      name, retryLimit: 2, retryDelay: 10, expireInSeconds: opts.expireInSeconds ?? 60 * 60,
      handle: async (data, ctx) => {
        const file = data.uploadId ? await this.file(data.uploadId) : null;
        if (data.uploadId && !file) return { ok: false, message: 'jobs:errors.uploadGone' } satisfies WorkResult;
        const progress = throttledProgress(ctx);
        let result: WorkResult;
        try {
          result = { ok: true, ...(await run(data, progress.report, file, ctx.id)) };
        } catch (e) {
          const refused = asRefusal(e);
          if (!refused) throw e; // unexpected: retried with backoff, the upload stays for the retry
          result = refused;
        }
        await progress.flush();
        await this.db.transaction(async (m) => {
          if (data.uploadId) await m.query(`DELETE FROM job_upload WHERE id = $1`, [data.uploadId]);
          for (const l of this.listeners) await l({ jobId: ctx.id, queue: name, startedBy: data.actor?.id ?? 0, result }, m);
        });
        return result;
      },
    });
  }

  /** Stores the upload (if any) and enqueues the job in one transaction; returns the job id for /jobs/:id. */
  async start(name: string, actor: Actor, data: Record<string, unknown>, upload?: { buffer: Buffer; originalname?: string }): Promise<string> {
    const who: JobActor = { id: actor.id, username: actor.username, displayName: actor.displayName, role: actor.role, partnerId: actor.partnerId };
    const createdBy = actor.id > 0 ? actor.id : null;
    await this.db.query(`DELETE FROM job_upload WHERE created_at < now() - make_interval(days => $1)`, [STALE_UPLOAD_DAYS]);
    return this.db.transaction(async (m) => {
      let uploadId: string | null = null;
      if (upload) {
        const [row] = await m.query(`INSERT INTO job_upload (file_name, size_bytes, content, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
          [(upload.originalname ?? 'upload.csv').slice(0, 255), upload.buffer.length, upload.buffer, createdBy]);
        uploadId = String(row.id);
      }
      return this.jobs.enqueue(name, { ...data, actor: who, uploadId }, { manager: m, createdBy });
    });
  }

  private async file(id: string): Promise<WorkFile | null> {
    const [row] = await this.db.query(`SELECT file_name, content FROM job_upload WHERE id = $1`, [id]);
    return row ? { name: row.file_name, content: row.content as Buffer } : null;
  }
}
