import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { businessTimeZone } from '../i18n/business-time-zone';

/** What a job handler gets besides its data: its id and a way to report progress (shown on the Jobs page and in the CLI). */
export interface JobContext {
  id: string;
  progress(done: number, total?: number | null, note?: string): Promise<void>;
}

export interface JobDefinition<T = Record<string, unknown>> {
  /** queue name, e.g. `exit.evaluate` */
  name: string;
  handle(data: T, ctx: JobContext): Promise<unknown>;
  /** retries after a failure, with exponential backoff from retryDelay seconds (defaults 5 and 30) */
  retryLimit?: number;
  retryDelay?: number;
  /** a running job not finished after this long is taken to have died with its process and is retried (default 15 min) */
  expireInSeconds?: number;
}

export interface EnqueueOptions {
  /** the transaction of the change that causes the work: the job exists exactly when that change commits */
  manager?: EntityManager;
  /** who started it (shown on the Jobs page; long jobs report progress to that person) */
  createdBy?: number | null;
  /** at most one queued job with this key at a time */
  singletonKey?: string;
  startAfterSeconds?: number;
}

type Executor = { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };

/**
 * The durable job queue (pg-boss on the portal's own PostgreSQL): work that must follow a change is enqueued in the
 * change's own transaction, survives restarts, is retried with backoff and is run by exactly one process. Every web
 * process runs workers and the schedules (pg-boss makes a schedule fire once across processes); the CLI only enqueues
 * unless JOBS_WORKER is set.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly schedules: { name: string; cron: string; data: Record<string, unknown> }[] = [];
  private boss: PgBoss | null = null;
  private starting: Promise<PgBoss> | null = null;
  /** set by the CLI entry point: the CLI process enqueues but does not work or schedule */
  static runWorkers = true;

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly config: AppConfig) {
    // a probe an operator (or a test) can send to see which process runs jobs: it notes its process id
    this.define<{ sleepMs?: number }>({
      name: 'system.heartbeat', retryLimit: 3, retryDelay: 1, expireInSeconds: 30,
      handle: async (data, ctx) => {
        await this.db.query(`UPDATE job_progress SET note = $2, updated_at = now() WHERE job_id = $1`, [ctx.id, `pid ${process.pid} started`]);
        if (data.sleepMs) await new Promise((r) => setTimeout(r, Math.min(Number(data.sleepMs), 60_000)));
        await this.db.query(`UPDATE job_progress SET done = done + 1, note = $2, updated_at = now() WHERE job_id = $1`, [ctx.id, `pid ${process.pid}`]);
        return { pid: process.pid };
      },
    });
  }

  /** Modules declare their job kinds (in their constructor or onModuleInit). */
  define<T>(def: JobDefinition<T>): void {
    this.definitions.set(def.name, def as unknown as JobDefinition);
    // a kind defined after start-up (tests, late modules) gets its queue and worker now
    if (this.boss) {
      const activation = this.activate(def as unknown as JobDefinition).catch((e) => this.logger.error(`job queue ${def.name}: ${(e as Error).message}`));
      this.activations.set(def.name, activation);
    }
  }

  private readonly activations = new Map<string, Promise<unknown>>();

  /**
   * Resolves once a kind defined after start-up has its queue (and worker). Enqueueing it inside a transaction before
   * that would wait for the queue's creation on another connection — which, on the embedded single-session database,
   * waits for the transaction: a deadlock. Kinds defined by modules are ready at start-up.
   */
  async ready(name: string): Promise<void> {
    await this.activations.get(name);
    const boss = await this.instance();
    const def = this.definitions.get(name);
    if (def) await this.createQueue(boss, def);
  }

  private readonly active = new Set<string>();
  private workersStarted = false;

  /** one creation per queue and process; callers wait for the same creation (a send before it would be lost) */
  private readonly created = new Map<string, Promise<void>>();

  /** queue creations run one after another: each attaches a partition to pgboss.job, and concurrent ones deadlock */
  private creationChain: Promise<unknown> = Promise.resolve();

  private createQueue(boss: PgBoss, def: JobDefinition): Promise<void> {
    let p = this.created.get(def.name);
    if (!p) {
      const create = async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            await boss.createQueue(def.name, {
              name: def.name, retryLimit: def.retryLimit ?? 5, retryDelay: def.retryDelay ?? 30, retryBackoff: true,
              expireInSeconds: def.expireInSeconds ?? 15 * 60, retentionDays: 30,
            } as PgBoss.Queue);
            return;
          } catch (err) {
            // another process creating queues at the same moment (deadlock, duplicate): try again shortly
            if (attempt >= 5) throw err;
            await new Promise((r) => setTimeout(r, 100 * attempt));
          }
        }
      };
      p = this.creationChain.then(create, create);
      this.creationChain = p.catch(() => undefined);
      this.created.set(def.name, p);
      p.catch((err) => { this.created.delete(def.name); this.logger.error(`queue ${def.name}: ${(err as Error).message}`); });
    }
    return p;
  }

  private async activate(def: JobDefinition): Promise<void> {
    const boss = await this.instance();
    if (!this.workersStarted || this.active.has(def.name)) return;
    this.active.add(def.name);
    await this.createQueue(boss, def);
    let workerId = '';
    workerId = this.workerIds[def.name] = await boss.work(def.name, { pollingIntervalSeconds: this.config.get('JOBS_POLL_SECONDS'), batchSize: 1 }, async ([job]) => {
      // a worker that just found work looks for more at once instead of waiting out the polling interval
      if (workerId) boss.notifyWorker(workerId);
      const ctx: JobContext = {
        id: job.id,
        progress: async (done, total, note) => {
          await this.db.query(
            `INSERT INTO job_progress (job_id, queue, done, total, note) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (job_id) DO UPDATE SET done = EXCLUDED.done, total = coalesce(EXCLUDED.total, job_progress.total), note = EXCLUDED.note, updated_at = now()`,
            [job.id, def.name, done, total ?? null, note ?? null]);
        },
      };
      this.busy++;
      try {
        const result = await def.handle(job.data as Record<string, unknown>, ctx);
        await this.db.query(`UPDATE job_progress SET result = $2, updated_at = now() WHERE job_id = $1`, [job.id, JSON.stringify(result ?? null)]);
        return result;
      } finally {
        this.idle();
      }
    });
  }

  /** A cron schedule in the business time zone, e.g. ('duties.alerts', '0 7 * * *'). */
  schedule(name: string, cron: string, data: Record<string, unknown> = {}): void {
    this.schedules.push({ name, cron, data });
  }

  queueNames(): string[] {
    return [...this.definitions.keys()].sort();
  }

  private executor(manager?: EntityManager): Executor {
    if (!manager) {
      return { executeSql: async (text, values) => ({ rows: await this.db.query(text, values as unknown[]) }) };
    }
    return {
      executeSql: async (text, values) => {
        // the transaction's own connection: the job row commits or rolls back with the change
        const client = await (manager.queryRunner as unknown as { connect(): Promise<{ query(t: string, v: unknown[]): Promise<{ rows: unknown[] }> }> }).connect();
        return { rows: (await client.query(text, values)).rows };
      },
    };
  }

  private async instance(): Promise<PgBoss> {
    if (this.boss) return this.boss;
    if (!this.starting) {
      this.starting = (async () => {
        const pool = (this.db.driver as unknown as { master: { query(t: string, v: unknown[]): Promise<{ rows: unknown[] }> } }).master;
        const boss = new PgBoss({
          db: {
            executeSql: async (text: string, values: unknown[]) => {
              // a job still finishing while the app closes (after the stop timeout) finds the pool ended: its result is
              // not written, the job stays active and is retried by the next process once it expires — as if the
              // process had died — instead of an unhandled "Cannot use a pool after calling end on the pool"
              // (null, not empty rows: pg-boss reads a count from the first row of a completion's result)
              if ((pool as { ending?: boolean }).ending) return null;
              this.busy++;
              try {
                return { rows: (await pool.query(text, values)).rows };
              } finally {
                this.idle();
              }
            },
          },
          schema: 'pgboss', migrate: false,
          supervise: JobQueue.runWorkers && this.config.get('JOBS_ENABLED'),
          schedule: JobQueue.runWorkers && this.config.get('JOBS_ENABLED') && this.config.get('JOBS_SCHEDULES'),
          maintenanceIntervalSeconds: this.config.get('JOBS_MAINTENANCE_SECONDS'),
        } as PgBoss.ConstructorOptions);
        boss.on('error', (err) => this.logger.error(`job queue: ${err.message}`));
        await boss.start();
        for (const def of this.definitions.values()) await this.createQueue(boss, def);
        this.boss = boss;
        return boss;
      })();
    }
    return this.starting;
  }

  /** Enqueues a job, in the given transaction when there is one. Returns the job id. */
  async enqueue(name: string, data: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<string> {
    if (!this.definitions.has(name)) throw new Error(`unknown job kind ${name}`);
    const boss = await this.instance();
    await this.createQueue(boss, this.definitions.get(name)!);
    const id = await boss.send(name, data, {
      db: this.executor(opts.manager) as PgBoss.Db,
      ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      ...(opts.startAfterSeconds ? { startAfter: opts.startAfterSeconds } : {}),
    });
    if (!id) {
      if (opts.singletonKey) return ''; // the same work is already queued
      throw new Error(`job ${name} was not queued`);
    }
    await this.executor(opts.manager).executeSql(
      `INSERT INTO job_progress (job_id, queue, created_by) VALUES ($1, $2, $3) ON CONFLICT (job_id) DO NOTHING`, [id, name, opts.createdBy ?? null]);
    this.wake(name, !!opts.manager);
    return id;
  }

  /** worker id per queue of this process (pg-boss answers it from work()) */
  private readonly workerIds: Record<string, string> = {};

  /**
   * Work enqueued by this process starts at once on its own worker instead of waiting out the polling interval (a
   * person watching an import's progress bar saw it wait up to JOBS_POLL_SECONDS). Inside a caller's transaction the
   * job is visible only after the commit, which comes later: look again shortly after. Harmless when nothing is
   * there yet — the worker goes back to polling.
   */
  private wake(name: string, inTransaction: boolean): void {
    const workerId = this.workerIds[name];
    const boss = this.boss;
    if (!workerId || !boss) return;
    for (const ms of inTransaction ? [20, 250] : [0]) {
      setTimeout(() => { if (this.boss === boss) boss.notifyWorker(workerId); }, ms).unref();
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    // started (and every queue created) now, outside any transaction: an enqueue inside a caller's transaction then
    // uses that transaction's connection only (on PGlite a second connection would wait for the transaction forever)
    const boss = await this.instance();
    if (!this.config.get('JOBS_ENABLED') || !JobQueue.runWorkers) return;
    this.workersStarted = true;
    for (const def of this.definitions.values()) await this.activate(def);
    if (this.config.get('JOBS_SCHEDULES')) {
      for (const s of this.schedules) await boss.schedule(s.name, s.cron, s.data, { tz: businessTimeZone() });
    }
  }

  /** Stops workers before any module's onApplicationShutdown: TypeORM ends its pool there, and a job finishing
   *  after that could no longer record its result ("Cannot use a pool after calling end on the pool"). */
  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.boss ?? (this.starting ? await this.starting.catch(() => null) : null);
    this.boss = null;
    this.starting = null;
    if (!boss) return;
    const stopStarted = Date.now();
    await boss.stop({ graceful: true, wait: true, timeout: 5_000 }).catch(() => undefined);
    // pg-boss removes its stopped workers in a loop that checks once a second whether each has finished its last fetch
    // or job; returning before that loop ends would leave it running into a closed process (in tests: "Cannot
    // destructure property 'setTimeout'" after the test file ended). Wait for our own queries and handlers to end, then
    // one more round of that loop — only when something was in flight while stopping.
    const giveUp = Date.now() + 10_000;
    while (this.busy > 0 && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 25));
    if (this.lastBusyEnded >= stopStarted) {
      const settled = this.lastBusyEnded + 1_100 - Date.now();
      if (settled > 0) await new Promise((r) => setTimeout(r, settled));
    }
  }

  /** pg-boss queries and job handlers in flight, and when the last one ended (see beforeApplicationShutdown) */
  private busy = 0;
  private lastBusyEnded = 0;
  private idle(): void {
    this.busy--;
    this.lastBusyEnded = Date.now();
  }

  async retry(id: string): Promise<boolean> {
    const [job] = await this.db.query(`SELECT name FROM pgboss.job WHERE id = $1 AND state = 'failed'`, [id]);
    if (!job) return false;
    await (await this.instance()).retry(job.name, id);
    return true;
  }
}
