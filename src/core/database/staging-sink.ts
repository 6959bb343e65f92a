import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** What the PGlite path needs: a way to run a statement (a TypeORM QueryRunner or EntityManager will do). */
export interface Queryable { query(sql: string, params?: unknown[]): Promise<unknown> }

/** A column of a staging table: its name and SQL type (values arrive as text or null). */
export interface StagingColumn { name: string; type: string }

/** Rows streamed into a (temporary) staging table: COPY on PostgreSQL, multi-row INSERTs on PGlite. */
export interface StagingSink {
  add(values: (string | null)[]): Promise<void>;
  /** several rows at once (one promise for a batch instead of one per row) */
  addRows(rows: (string | null)[][]): Promise<void>;
  end(): Promise<void>;
  abort(): void;
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyTextField(v: string | null): string {
  if (v === null) return '\\N';
  if (!COPY_SPECIAL.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A PostgreSQL array literal of texts (`{"a","b"}`), for a text[] column staged as text. */
export function textArrayLiteral(items: string[]): string {
  return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const COPY_CHUNK = 1000;
const INSERT_BATCH = 5000;

class CopySink implements StagingSink {
  private readonly stream: Writable;
  private failed: Error | null = null;
  private lines: string[] = [];
  constructor(client: PoolClient, table: string, columns: StagingColumn[]) {
    this.stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM STDIN`));
    this.stream.on('error', (e) => (this.failed = e));
  }
  async add(values: (string | null)[]): Promise<void> {
    this.lines.push(`${values.map(copyTextField).join('\t')}\n`);
    if (this.lines.length >= COPY_CHUNK) await this.flush();
  }
  async addRows(rows: (string | null)[][]): Promise<void> {
    for (const values of rows) this.lines.push(`${values.map(copyTextField).join('\t')}\n`);
    if (this.lines.length >= COPY_CHUNK) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    const text = this.lines.join('');
    this.lines = [];
    if (text && !this.stream.write(text)) await once(this.stream, 'drain');
  }
  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    if (this.failed) throw this.failed;
  }
  abort(): void { this.stream.destroy(new Error('staging aborted')); }
}

class InsertSink implements StagingSink {
  private cols: (string | null)[][];
  private readonly sql: string;
  constructor(private readonly qr: Queryable, table: string, columns: StagingColumn[]) {
    this.cols = columns.map(() => []);
    const names = columns.map((_, i) => `c${i}`);
    this.sql = `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')})
      SELECT ${columns.map((c, i) => `u.c${i}::${c.type}`).join(', ')} FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS u(${names.join(', ')})`;
  }
  async add(values: (string | null)[]): Promise<void> {
    values.forEach((v, i) => this.cols[i].push(v));
    if (this.cols[0].length >= INSERT_BATCH) await this.write();
  }
  async addRows(rows: (string | null)[][]): Promise<void> {
    for (const values of rows) values.forEach((v, i) => this.cols[i].push(v));
    if (this.cols[0].length >= INSERT_BATCH) await this.write();
  }
  private async write(): Promise<void> {
    if (!this.cols[0].length) return;
    const batch = this.cols;
    this.cols = batch.map(() => []);
    await this.qr.query(this.sql, batch);
  }
  async end(): Promise<void> { await this.write(); }
  abort(): void { this.cols = this.cols.map(() => []); }
}

/**
 * Opens a sink into `table` (created by the caller): COPY through the pool client when there is one (PostgreSQL),
 * otherwise 5,000-row INSERT … SELECT FROM unnest() statements (PGlite's socket server cannot run COPY FROM STDIN).
 */
export function stagingSink(qr: Queryable, copyClient: PoolClient | null, table: string, columns: StagingColumn[]): StagingSink {
  return copyClient ? new CopySink(copyClient, table, columns) : new InsertSink(qr, table, columns);
}
