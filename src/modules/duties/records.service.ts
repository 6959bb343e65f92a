import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { CsvImportError, CsvRowError, parseCsv } from '../../core/csv/csv.util';
import { periodOfDate } from '../../core/period/period.util';
import { FieldError } from '../../core/web/errors';
import { CustomersService } from '../customers/customers.service';
import { localDateOf } from './date.util';
import { complaintHoursFor, complaintOnTime, CustomerClass } from './duty-rules.util';
import { ServiceRecord } from './duty.entities';
import { checkRecordInput, CleanRecordInput, RawRecordInput } from './record-input.util';
import { countChanged } from './sql.util';

export const RECORD_CSV_COLUMNS = ['customer_code', 'record_type', 'occurred_at', 'description'] as const;
export const RECORD_CSV_OPTIONAL = ['received_at', 'outcome', 'amount', 'attachments'] as const;
const CSV_COLUMN: Record<string, string> = {
  recordType: 'record_type', occurredAt: 'occurred_at', receivedAt: 'received_at', description: 'description', outcome: 'outcome', amount: 'amount', attachmentNames: 'attachments',
};

function refuse(errors: FieldError[]): never {
  throw new UnprocessableEntityException({ message: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors });
}

/** Service records: the partner's daily work. Each record ticks the matching open checklist items in its transaction. */
@Injectable()
export class RecordsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly customers: CustomersService, private readonly audit: AuditService) {}

  /** A partner user records work for one of the customers their partner held on that day, in an unlocked quarter. */
  async submit(actor: Actor, input: RawRecordInput & { customerId: number }, now = new Date()): Promise<{ record: ServiceRecord; ticked: number }> {
    const partnerId = actor.partnerId;
    if (actor.role !== 'partner' || !partnerId) throw new NotFoundException('customer not found');
    const customer = await this.customers.assertVisible(actor, input.customerId);
    const { value, errors } = checkRecordInput(input, now);
    if (!value) refuse(errors);
    const date = localDateOf(value.occurredAt);
    const period = periodOfDate(date).code;
    const [holder] = await this.customers.assignedPartnersOn([{ customerId: customer.id, date }]);
    if (holder !== partnerId) refuse([{ field: 'occurredAt', message: `customer ${customer.code} was not assigned to your partner on ${date}` }]);
    return this.db.transaction(async (m) => {
      if (await this.locked(m, period)) refuse([{ field: 'occurredAt', message: `quarter ${period} is locked; records for it can no longer be added` }]);
      const result = await this.insertAndTick(m, actor, partnerId, { id: customer.id, customerClass: customer.customerClass, stage: customer.stage }, period, value);
      await this.audit.record(actor, { action: 'record.create', entityType: 'service_record', entityId: result.record.id, partnerId, after: { customerId: customer.id, recordType: value.recordType, occurredAt: value.occurredAt, ticked: result.ticked } }, m);
      return result;
    });
  }

  private async locked(m: EntityManager, period: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM period_lock WHERE period = $1`, [period])).length > 0;
  }

  private async insertAndTick(m: EntityManager, actor: Actor, partnerId: number, customer: { id: number; customerClass: string; stage: string }, period: string, v: CleanRecordInput) {
    let slaHours: number | null = null;
    let onTime: boolean | null = null;
    if (v.recordType === 'complaint_handled' && v.receivedAt) {
      const [t] = await m.query(
        `SELECT hours_a AS "hoursA", hours_b AS "hoursB", hours_c AS "hoursC" FROM duty_template
          WHERE stage = $1 AND deadline_kind = 'within_hours' AND 'complaint_handled' = ANY(record_types) ORDER BY active DESC, id LIMIT 1`, [customer.stage]);
      slaHours = complaintHoursFor(t ?? null, customer.customerClass as CustomerClass);
      onTime = complaintOnTime(v.receivedAt, v.occurredAt, slaHours);
    }
    const repo = m.getRepository(ServiceRecord);
    const record = repo.create({
      partnerId, customerId: customer.id, period, recordType: v.recordType, occurredAt: v.occurredAt, receivedAt: v.receivedAt,
      description: v.description, outcome: v.outcome, amount: v.amount, attachmentNames: v.attachmentNames,
      complaintSlaHours: slaHours, complaintOnTime: onTime, createdBy: actor.id > 0 ? actor.id : null,
    });
    await repo.insert(record);
    // the SQL form of tickItem() in duty-rules.util.ts
    const ticked = await countChanged(m,
      `UPDATE checklist_item ci
          SET fulfilled_count = ci.fulfilled_count + 1,
              status = CASE WHEN ci.fulfilled_count + 1 >= ci.required_count THEN 'fulfilled' ELSE 'open' END,
              fulfilled_at = CASE WHEN ci.fulfilled_count + 1 >= ci.required_count THEN now() END
         FROM duty_template t
        WHERE t.id = ci.duty_template_id AND ci.customer_id = $1 AND ci.period = $2 AND ci.partner_id = $3
          AND ci.status = 'open' AND $4 = ANY(t.record_types)
        RETURNING 1`, [customer.id, period, partnerId, v.recordType]);
    return { record, ticked };
  }

  /** Bulk upload for the signed-in partner: every row checked first, all or nothing, each bad row reported. */
  async importCsv(actor: Actor, content: string | Buffer, now = new Date()): Promise<{ records: number; ticked: number }> {
    const partnerId = actor.partnerId;
    if (actor.role !== 'partner' || !partnerId) throw new NotFoundException('Only partner users upload service records');
    const { rows } = parseCsv(content, RECORD_CSV_COLUMNS, { optionalColumns: RECORD_CSV_OPTIONAL });
    if (!rows.length) throw new CsvImportError([{ row: 2, column: '(file)', message: 'no data rows' }]);
    const customers = await this.customers.findByCodes(rows.map((r) => r.values.customer_code ?? ''));
    const errors: CsvRowError[] = [];
    const ok: { row: number; customerId: number; date: string; value: CleanRecordInput }[] = [];
    for (const { row, values: v } of rows) {
      if (v.__extra !== undefined) errors.push({ row, column: '(row)', message: 'more cells than columns in the header' });
      const c = customers.get(v.customer_code ?? '');
      if (!c) errors.push({ row, column: 'customer_code', message: `no customer ${v.customer_code || '(empty)'} among your customers` });
      const checked = checkRecordInput({
        recordType: v.record_type, occurredAt: v.occurred_at, receivedAt: v.received_at, description: v.description,
        outcome: v.outcome, amount: v.amount, attachmentNames: v.attachments,
      }, now);
      for (const e of checked.errors) errors.push({ row, column: CSV_COLUMN[e.field] ?? e.field, message: e.message });
      if (c && checked.value) ok.push({ row, customerId: c.id, date: localDateOf(checked.value.occurredAt), value: checked.value });
    }
    const holders = await this.customers.assignedPartnersOn(ok.map((r) => ({ customerId: r.customerId, date: r.date })));
    const byId = new Map([...customers.values()].map((c) => [c.id, c]));
    return this.db.transaction(async (m) => {
      const lockedPeriods = new Set<string>((await m.query(`SELECT period FROM period_lock`)).map((r: { period: string }) => r.period));
      ok.forEach((r, i) => {
        // same words whether the customer belongs to another partner or did not on that day: nothing leaks
        if (holders[i] !== partnerId) errors.push({ row: r.row, column: 'customer_code', message: `${byId.get(r.customerId)!.code} is not your customer on ${r.date}` });
        const period = periodOfDate(r.date).code;
        if (lockedPeriods.has(period)) errors.push({ row: r.row, column: 'occurred_at', message: `quarter ${period} is locked` });
      });
      if (errors.length) throw new CsvImportError(errors.sort((a, b) => a.row - b.row).slice(0, 500), errors.length);
      let ticked = 0;
      for (const r of ok) {
        const c = byId.get(r.customerId)!;
        ticked += (await this.insertAndTick(m, actor, partnerId, c, periodOfDate(r.date).code, r.value)).ticked;
      }
      await this.audit.record(actor, { action: 'record.import', entityType: 'service_record_import', entityId: new Date().toISOString(), partnerId, after: { records: ok.length, ticked } }, m);
      return { records: ok.length, ticked };
    });
  }

  async listForPartner(partnerId: number, opts: { period?: string; customerId?: number; limit?: number } = {}) {
    const params: unknown[] = [partnerId];
    let where = 'r.partner_id = $1';
    if (opts.period) { params.push(opts.period); where += ` AND r.period = $${params.length}`; }
    if (opts.customerId) { params.push(opts.customerId); where += ` AND r.customer_id = $${params.length}`; }
    return this.db.query(
      `SELECT r.id, r.period, r.record_type AS "recordType", r.occurred_at AS "occurredAt", r.received_at AS "receivedAt", r.description, r.outcome,
              r.amount, r.attachment_names AS "attachmentNames", r.complaint_on_time AS "complaintOnTime", r.created_at AS "createdAt",
              c.id AS "customerId", c.code AS "customerCode", c.name AS "customerName"
         FROM service_record r JOIN customer c ON c.id = r.customer_id
        WHERE ${where} ORDER BY r.occurred_at DESC, r.id DESC LIMIT ${Math.min(opts.limit ?? 200, 1000)}`, params);
  }

  async getForActor(actor: Actor, id: number) {
    const [r] = await this.db.query(`SELECT * FROM service_record WHERE id = $1`, [id]);
    if (!r || (actor.role === 'partner' && r.partner_id !== actor.partnerId)) throw new NotFoundException('record not found');
    return r;
  }
}
