import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { CsvImportError, CsvRowError, parseCsv } from '../../core/csv/csv.util';
import { RuleViolation } from '../../core/web/errors';
import { ComplaintsService } from './complaints.service';

export const COMPLAINT_CSV_COLUMNS = ['customer_code', 'kind', 'category', 'description', 'received_at', 'reference'] as const;

/** Columns each rule refusal belongs to (the service names fields; the file names columns). */
const FIELD_COLUMN: Record<string, string> = { customerId: 'customer_code', kind: 'kind', category: 'category', description: 'description', receivedAt: 'received_at' };

/**
 * Work orders from a CSV (e.g. the call centre's export): all or nothing — every bad row is listed with its column and
 * reason and nothing is written. `reference` (optional) is unique: the same file imported twice is refused, not doubled.
 */
@Injectable()
export class ComplaintImportService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly complaints: ComplaintsService) {}

  async importCsv(actor: Actor, content: Buffer | string, progress?: (done: number, total: number) => void): Promise<{ created: number }> {
    const { rows } = parseCsv(content, COMPLAINT_CSV_COLUMNS.filter((c) => c !== 'reference'), { optionalColumns: ['reference'] });
    const errors: CsvRowError[] = [];
    const codes = [...new Set(rows.map((r) => r.values.customer_code))];
    const known: { id: number; code: string }[] = codes.length ? await this.db.query(`SELECT id, code FROM customer WHERE code = ANY($1::text[])`, [codes]) : [];
    const idOf = new Map(known.map((c) => [c.code, c.id]));
    const refs = new Map<string, number>();
    for (const r of rows) {
      if (!idOf.has(r.values.customer_code)) errors.push({ row: r.row, column: 'customer_code', message: 'complaints:csv.unknownCustomer', params: { value: r.values.customer_code } });
      const ref = r.values.reference;
      if (ref) {
        if (refs.has(ref)) errors.push({ row: r.row, column: 'reference', message: 'complaints:csv.duplicateReference', params: { value: ref, row: refs.get(ref) } });
        refs.set(ref, r.row);
      }
    }
    if (refs.size) {
      const taken: { reference: string }[] = await this.db.query(`SELECT reference FROM complaint WHERE reference = ANY($1::text[])`, [[...refs.keys()]]);
      for (const t of taken) errors.push({ row: refs.get(t.reference)!, column: 'reference', message: 'complaints:csv.referenceExists', params: { value: t.reference } });
    }
    if (errors.length) throw new CsvImportError(errors.sort((a, b) => a.row - b.row));
    let created = 0;
    await this.db.transaction(async (m) => {
      for (const r of rows) {
        // each row in a savepoint, so a refused row is reported and the others are still checked; then all roll back
        const sp = `row_${r.row}`;
        await m.query(`SAVEPOINT ${sp}`);
        try {
          await this.complaints.insert(actor, {
            customerId: idOf.get(r.values.customer_code)!, kind: normKind(r.values.kind), category: r.values.category.toLowerCase(),
            description: r.values.description, receivedAt: r.values.received_at, reference: r.values.reference || null,
          }, 'import', m);
          await m.query(`RELEASE SAVEPOINT ${sp}`);
          created++;
        } catch (e) {
          if (!(e instanceof RuleViolation)) throw e;
          await m.query(`ROLLBACK TO SAVEPOINT ${sp}`);
          errors.push({ row: r.row, column: FIELD_COLUMN[e.field ?? ''] ?? e.field ?? '', message: e.message, params: e.params });
        }
        progress?.(created + errors.length, rows.length);
      }
      if (errors.length) throw new CsvImportError(errors);
    });
    return { created };
  }
}

/** 投诉 / 故障 as a file may write them. */
function normKind(v: string): string {
  const t = (v ?? '').trim().toLowerCase();
  return t === '投诉' ? 'complaint' : t === '故障' ? 'fault' : t;
}
