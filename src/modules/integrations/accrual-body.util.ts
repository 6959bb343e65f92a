import { createHash, Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ACCRUAL_COLUMNS } from '../settlement/accrual-row.util';

export type BodyFormat = 'csv' | 'ndjson' | 'json';

/** The body format from the Content-Type (`text/csv`, `application/x-ndjson`, `application/json`), or null. */
export function bodyFormat(contentType: string | undefined): BodyFormat | null {
  const t = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (t === 'text/csv') return 'csv';
  if (t === 'application/x-ndjson' || t === 'application/ndjson' || t === 'application/jsonl') return 'ndjson';
  if (t === 'application/json') return 'json';
  return null;
}

const quote = (v: unknown) => `"${(v === null || v === undefined ? '' : String(v)).replace(/"/g, '""')}"`;

/** One accrual object as a CSV line in the import's column order (a missing field is empty: the import names it). */
export function objectToCsvLine(o: unknown): string {
  const rec = o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
  return ACCRUAL_COLUMNS.map((c) => quote(typeof rec[c] === 'object' ? '' : rec[c])).join(',') + '\n';
}

export const CSV_HEADER = ACCRUAL_COLUMNS.join(',') + '\n';

/** A bad JSON element: reported as a line error of the import's shape. */
export class BodyFormatError extends Error {
  constructor(public readonly line: number, public readonly detail: string) { super(detail); }
}

/**
 * Splits a streamed JSON array of objects into its elements without holding the whole body: tracks strings,
 * escapes and nesting depth, and hands each top-level element's text to JSON.parse.
 */
export class JsonArraySplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private ended = false;
  private buf = '';
  count = 0;

  push(chunk: string, emit: (text: string) => void): void {
    let from = -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\ufeff') continue;
      if (!this.started) {
        if (ch !== '[') throw new BodyFormatError(0, 'not a JSON array');
        this.started = true;
        continue;
      }
      if (this.ended) throw new BodyFormatError(this.count, 'text after the array');
      if (this.depth === 0) {
        if (ch === ',') continue;
        if (ch === ']') { this.ended = true; continue; }
        if (ch !== '{') throw new BodyFormatError(this.count + 1, 'an element is not an object');
        from = i;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') this.depth++;
      else if (ch === '}' || ch === ']') {
        this.depth--;
        if (this.depth === 0) {
          const text = this.buf + chunk.slice(from === -1 ? 0 : from, i + 1);
          this.buf = '';
          from = -1;
          this.count++;
          emit(text);
        }
      }
    }
    if (this.depth > 0) this.buf += chunk.slice(from === -1 ? 0 : from);
  }

  end(): void {
    if (!this.started || !this.ended || this.depth !== 0) throw new BodyFormatError(this.count + 1, 'the JSON array is not closed');
  }
}

/**
 * The request body as the CSV the accrual import reads (header + one line per element), hashing the raw bytes on
 * the way (the idempotency check compares that hash). Lines of JSON/NDJSON bodies are numbered from 1 per element (blank NDJSON lines are not counted).
 */
export function toAccrualCsv(body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, format: BodyFormat, hash: Hash = createHash('sha256')): Readable {
  async function* lines(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8');
    if (format === 'csv') {
      for await (const chunk of body as AsyncIterable<Buffer | string>) { hash.update(chunk); yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }); }
      return;
    }
    yield CSV_HEADER;
    const parse = (text: string, line: number) => {
      try { return objectToCsvLine(JSON.parse(text)); } catch (e) { throw new BodyFormatError(line, (e as Error).message); }
    };
    if (format === 'ndjson') {
      let rest = '';
      let line = 0;
      for await (const chunk of body as AsyncIterable<Buffer | string>) {
        hash.update(chunk);
        const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
        const parts = text.split('\n');
        rest = parts.pop()!;
        const out: string[] = [];
        for (const p of parts) if (p.trim()) out.push(parse(p, ++line));
        if (out.length) yield out.join('');
      }
      if (rest.trim()) yield parse(rest, ++line);
      return;
    }
    const splitter = new JsonArraySplitter();
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      hash.update(chunk);
      const out: string[] = [];
      splitter.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), (t) => out.push(parse(t, splitter.count)));
      if (out.length) yield out.join('');
    }
    splitter.end();
  }
  return Readable.from(lines(), { objectMode: false });
}
