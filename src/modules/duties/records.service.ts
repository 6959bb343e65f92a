import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { PreparedQueries } from '../../core/database/prepared-queries';
import { periodOfDate } from '../../core/period/period.util';
import { FieldError } from '../../core/web/errors';
import { ListQuery, ListSpec, plainQuery } from '../../core/web/list-query';
import { CustomersService } from '../customers/customers.service';
import { localDateOf } from './date.util';
import { DutiesService } from './duties.service';
import { complaintHoursFor, complaintOnTime, CustomerClass, isRecordType } from './duty-rules.util';
import { parseItemQuery } from './duty-views.service';
import { checkRecordInput, CleanRecordInput, RawRecordInput } from './record-input.util';
import { COMPLAINT_RULE_SQL, SUBMIT_MANAGER_RECORD_SQL, SUBMIT_RECORD_SQL } from './queries/record-write.sql';

export interface RecordFilters { period?: string; recordType?: string; q?: string }

/** The record lists' filters from a query string (quarter, type, free text); malformed values are ignored. Partner and manager lists alike. */
export function parseRecordFilters(query: Record<string, unknown>): RecordFilters {
  const q = plainQuery(query);
  return {
    period: parseItemQuery(query).period,
    recordType: isRecordType(q.recordType) ? q.recordType : undefined,
    q: q.q?.trim().slice(0, 100) || undefined,
  };
}

/** Sortable columns of the partner's record list (URL key → SQL expression). */
export const RECORD_LIST: ListSpec = {
  sortable: { occurredAt: 'r.occurred_at', customer: 'c.code', type: 'r.record_type', amount: 'r.amount', createdAt: 'r.created_at', period: 'r.period' },
  defaultSort: 'occurredAt', defaultDir: 'desc', pageSize: 50, tieBreaker: 'r.id',
};

export interface SubmittedRecord { id: string; period: string; complaintOnTime: boolean | null }


/** A refused record: the first field's message as the summary, every field's message beside it (keys, translated by the error filter). */
function refuse(errors: FieldError[]): never {
  throw new UnprocessableEntityException({ message: errors[0].message, params: errors[0].params, errors });
}

/** Service records: the partner's daily work. Each record ticks the matching open checklist items in its transaction. */
@Injectable()
export class RecordsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly customers: CustomersService, private readonly audit: AuditService,
    private readonly prepared: PreparedQueries, private readonly duties: DutiesService) {}

  /**
   * A partner user records work for one of the customers their partner held on that day, in an unlocked quarter.
   * The accepted case is one SQL statement (the hot path of a partner's day); only a refusal costs extra queries,
   * to say why.
   */
  async submit(actor: Actor, input: RawRecordInput & { customerId: number }, now = new Date()): Promise<{ record: SubmittedRecord; ticked: number }> {
    // #17: a channel manager holding the customer records like a partner (same input rules, same single statement)
    const asManager = actor.role === 'channel_manager' && actor.id > 0;
    const partnerId = asManager ? null : actor.partnerId;
    if (!asManager && (actor.role !== 'partner' || !partnerId)) throw new NotFoundException('customers:errors.notFound');
    const holderId = asManager ? actor.id : partnerId!;
    const { value, errors } = checkRecordInput(input, now);
    if (!value) {
      await this.customers.assertVisible(actor, input.customerId); // someone else's customer: 404 before any detail
      refuse(errors);
    }
    const date = localDateOf(value.occurredAt);
    const period = periodOfDate(date).code;
    const complaint = await this.complaintTiming(input.customerId, value);
    const audit = this.audit.entryFor(actor, { action: 'record.create', entityType: 'service_record', entityId: '', partnerId: partnerId ?? undefined,
      after: { customerId: input.customerId, recordType: value.recordType, occurredAt: value.occurredAt } });
    const [row] = await this.prepared.rows<SubmittedRecord & { ticked: number }>(asManager ? SUBMIT_MANAGER_RECORD_SQL : SUBMIT_RECORD_SQL, [
      input.customerId, holderId, date, period, value.recordType, value.occurredAt, value.receivedAt, value.description, value.outcome,
      value.amount, value.attachmentNames, complaint.slaHours, complaint.onTime, actor.id > 0 ? actor.id : null,
      audit.actorUserId, audit.actorLabel, JSON.stringify(audit.after),
    ]);
    if (!row) return asManager ? this.explainManagerRefusal(actor, input.customerId, date, period) : this.explainRefusal(actor, input.customerId, holderId, date, period);
    return { record: { id: String(row.id), period: row.period, complaintOnTime: row.complaintOnTime }, ticked: row.ticked };
  }

  /** Class time limit for a handled complaint (null for every other record). */
  private async complaintTiming(customerId: number, v: CleanRecordInput, m: EntityManager = this.db.manager): Promise<{ slaHours: number | null; onTime: boolean | null }> {
    if (v.recordType !== 'complaint_handled' || !v.receivedAt) return { slaHours: null, onTime: null };
    const [rule] = await m.query(COMPLAINT_RULE_SQL, [customerId]);
    if (!rule) return { slaHours: null, onTime: null }; // unknown customer: the write is refused anyway
    const slaHours = complaintHoursFor(rule, rule.customerClass as CustomerClass);
    return { slaHours, onTime: complaintOnTime(v.receivedAt, v.occurredAt, slaHours) };
  }

  /** The single statement wrote nothing: say why, in the order a person would check. */
  private async explainRefusal(actor: Actor, customerId: number, partnerId: number, date: string, period: string): Promise<never> {
    const customer = await this.customers.assertVisible(actor, customerId);
    const [holder] = await this.customers.assignedPartnersOn([{ customerId, date }]);
    if (holder !== partnerId) refuse([{ field: 'occurredAt', message: 'duties:record.notAssigned', params: { code: customer.code, date } }]);
    if (await this.duties.isQuarterLocked(period)) refuse([{ field: 'occurredAt', message: 'duties:record.locked', params: { period } }]);
    throw new ConflictException('duties:record.changedMeanwhile');
  }

  /** A manager's record wrote nothing: not their customer on that day, or a locked quarter. */
  private async explainManagerRefusal(actor: Actor, customerId: number, date: string, period: string): Promise<never> {
    const customer = await this.customers.assertVisible(actor, customerId);
    const [held] = await this.db.query(
      `SELECT 1 FROM customer_assignment WHERE customer_id = $1 AND manager_user_id = $2 AND valid_from <= $3::date AND (valid_to IS NULL OR valid_to > $3::date)`,
      [customerId, actor.id, date]);
    if (!held) refuse([{ field: 'customerId', message: 'duties:record.notHeldByManager', params: { code: customer.code, date } }]);
    if (await this.duties.isQuarterLocked(period)) refuse([{ field: 'occurredAt', message: 'duties:record.locked', params: { period } }]);
    throw new ConflictException('duties:record.changedMeanwhile');
  }

  /** Customers a channel manager holds today (the record form's choice). */
  async customersHeldByManager(userId: number): Promise<{ id: number; code: string; name: string; customerClass: string; stage: string }[]> {
    return this.db.query(
      `SELECT c.id, c.code, c.name, c.customer_class AS "customerClass", c.stage FROM customer c
         JOIN customer_assignment a ON a.customer_id = c.id AND a.valid_to IS NULL AND a.manager_user_id = $1
        ORDER BY c.code`, [userId]);
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

  /** One page of the partner's records, filtered (quarter, customer code or name, type) and sorted by a declared column. */
  async pageForPartner(partnerId: number, f: RecordFilters, list: Pick<ListQuery, 'sort' | 'dir' | 'offset' | 'size'>) {
    return this.pageForHolder('r.partner_id', partnerId, f, list);
  }

  /** One page of a channel manager's own records (#17), filtered and sorted like a partner's. */
  async pageForManager(userId: number, f: RecordFilters, list: Pick<ListQuery, 'sort' | 'dir' | 'offset' | 'size'>) {
    return this.pageForHolder('r.manager_user_id', userId, f, list);
  }

  private async pageForHolder(holderColumn: 'r.partner_id' | 'r.manager_user_id', holderId: number, f: RecordFilters, list: Pick<ListQuery, 'sort' | 'dir' | 'offset' | 'size'>) {
    const params: unknown[] = [holderId];
    let where = `${holderColumn} = $1`;
    if (f.period) { params.push(f.period); where += ` AND r.period = $${params.length}`; }
    if (f.recordType) { params.push(f.recordType); where += ` AND r.record_type = $${params.length}`; }
    if (f.q) { params.push(`%${f.q.replace(/[\\%_]/g, '\\$&')}%`); where += ` AND (c.code ILIKE $${params.length} OR c.name ILIKE $${params.length})`; }
    const from = `FROM service_record r JOIN customer c ON c.id = r.customer_id WHERE ${where}`;
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n ${from}`, params);
    const sort = RECORD_LIST.sortable[list.sort] ?? RECORD_LIST.sortable[RECORD_LIST.defaultSort];
    const dir = list.dir === 'asc' ? 'ASC' : 'DESC';
    const rows = await this.db.query(
      `SELECT r.id, r.period, r.record_type AS "recordType", r.occurred_at AS "occurredAt", r.received_at AS "receivedAt", r.description, r.outcome,
              r.amount, r.attachment_names AS "attachmentNames", r.complaint_on_time AS "complaintOnTime", r.created_at AS "createdAt",
              c.id AS "customerId", c.code AS "customerCode", c.name AS "customerName"
         ${from} ORDER BY ${sort} ${dir} NULLS LAST, r.id ${dir}
        LIMIT ${Math.max(1, Math.floor(list.size))} OFFSET ${Math.max(0, Math.floor(list.offset))}`, params);
    return { rows, total: n as number };
  }

  async getForActor(actor: Actor, id: number) {
    const [r] = await this.db.query(`SELECT * FROM service_record WHERE id = $1`, [id]);
    if (!r || (actor.role === 'partner' && r.partner_id !== actor.partnerId)) throw new NotFoundException('duties:errors.recordNotFound');
    return r;
  }
}
