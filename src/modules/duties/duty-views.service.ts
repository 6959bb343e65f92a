import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { ListQuery, ListSpec, plainQuery } from '../../core/web/list-query';
import { isRecordType, RECORD_TYPES } from './duty-rules.util';
import { DutyTemplate } from './duty.entities';

export interface ItemFilters {
  region?: string; customerClass?: string; partnerId?: number;
  /** a scoped channel manager's regions (RegionScopeService.forActor): items of customers there only; null/absent: all */
  scope?: string[] | null;
}

const PERIOD = /^\d{4}Q[1-4]$/;

/** A list URL's quarter and filters; anything unknown or malformed is ignored (never an error page). */
export function parseItemQuery(query: Record<string, unknown> | undefined): { period?: string; filters: ItemFilters } {
  const q = plainQuery(query);
  return {
    period: PERIOD.test(q.period ?? '') ? q.period : undefined,
    filters: {
      region: q.region?.trim().slice(0, 100) || undefined,
      customerClass: ['A', 'B', 'C'].includes(q.customerClass ?? '') ? q.customerClass : undefined,
      partnerId: /^\d{1,9}$/.test(q.partnerId ?? '') && Number(q.partnerId) > 0 ? Number(q.partnerId) : undefined,
    },
  };
}

/** Sortable columns of the overdue items list (URL key → SQL expression). */
export const OVERDUE_LIST: ListSpec = {
  sortable: { due: 'ci.due_date', period: 'ci.period', partner: 'p.code', customer: 'c.code', class: 'c.customer_class', region: 'c.region', duty: 't.code' },
  defaultSort: 'due', pageSize: 50, tieBreaker: 'ci.id',
};

/** Sortable columns of the partner's customer list. */
export const MY_CUSTOMERS_LIST: ListSpec = {
  sortable: {
    code: 'c.code', name: 'c.name', industry: 'c.industry', region: 'c.region', class: 'c.customer_class',
    stage: `array_position(ARRAY['acquisition','development','maturity','decline','churn']::varchar[], c.stage::varchar)`,
    progress: `CASE WHEN COALESCE(x.required, 0) = 0 THEN NULL ELSE COALESCE(x.fulfilled, 0)::numeric / x.required END`, overdue: 'COALESCE(x.overdue, 0)',
  },
  defaultSort: 'code', pageSize: 50, tieBreaker: 'c.id',
};

/** A duty's name in the reader's language: the template's Chinese name (if set) for zh-CN, else its English one. */
export function dutyLabel(lang: string | undefined, row: { name?: string; nameZh?: string; dutyName?: string; dutyNameZh?: string }): string {
  const en = row.dutyName ?? row.name ?? '';
  const zh = row.dutyNameZh ?? row.nameZh ?? '';
  return lang === 'en' ? en || zh : zh || en;
}

const ITEM_COLUMNS = `ci.id, ci.period, ci.stage, ci.required_count AS "requiredCount", ci.fulfilled_count AS "fulfilledCount",
  ci.due_date::text AS "dueDate", ci.status, ci.not_applicable_from::text AS "notApplicableFrom",
  c.id AS "customerId", c.code AS "customerCode", c.name AS "customerName", c.customer_class AS "customerClass", c.region,
  t.code AS "dutyCode", t.name AS "dutyName", t.name_zh AS "dutyNameZh", t.record_types AS "recordTypes",
  ci.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName"`;
const ITEM_FROM = `FROM checklist_item ci JOIN customer c ON c.id = ci.customer_id JOIN duty_template t ON t.id = ci.duty_template_id
  LEFT JOIN partner p ON p.id = ci.partner_id`;

/** Read models for the duty pages and the dashboard, plus template administration. */
@Injectable()
export class DutyViewsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  private filterSql(f: ItemFilters, params: unknown[]): string {
    let sql = '';
    // a prefecture also finds the customers of its counties
    if (f.region) { params.push(f.region); sql += ` AND (c.region = $${params.length} OR c.region IN (SELECT r.name FROM region r JOIN region pr ON pr.id = r.parent_id WHERE pr.name = $${params.length}))`; }
    if (f.customerClass) { params.push(f.customerClass); sql += ` AND c.customer_class = $${params.length}`; }
    if (f.partnerId) { params.push(f.partnerId); sql += ` AND ci.partner_id = $${params.length}`; }
    if (f.scope) { params.push(f.scope); sql += ` AND c.region = ANY($${params.length}::text[])`; }
    return sql;
  }

  /** The partner's current customers with the period's checklist progress (each item capped at its count), one page of them. */
  async myCustomers(partnerId: number, period: string, list: Pick<ListQuery, 'sort' | 'dir' | 'offset' | 'size'> = { sort: 'code', dir: 'asc', offset: 0, size: 100_000 }) {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM customer_assignment WHERE valid_to IS NULL AND partner_id = $1`, [partnerId]);
    const sort = MY_CUSTOMERS_LIST.sortable[list.sort] ?? MY_CUSTOMERS_LIST.sortable[MY_CUSTOMERS_LIST.defaultSort];
    const dir = list.dir === 'desc' ? 'DESC' : 'ASC';
    const rows = await this.db.query(
      `SELECT c.id, c.code, c.name, c.industry, c.region, c.customer_class AS "customerClass", c.stage,
              COALESCE(x.required, 0)::int AS required, COALESCE(x.fulfilled, 0)::int AS fulfilled, COALESCE(x.overdue, 0)::int AS overdue
         FROM customer c JOIN customer_assignment a ON a.customer_id = c.id AND a.valid_to IS NULL AND a.partner_id = $1
         LEFT JOIN (SELECT customer_id, sum(required_count) AS required, sum(LEAST(fulfilled_count, required_count)) AS fulfilled,
                           count(*) FILTER (WHERE status = 'open' AND due_date < $3::date) AS overdue
                      FROM checklist_item WHERE partner_id = $1 AND period = $2 AND status <> 'not_applicable' GROUP BY customer_id) x ON x.customer_id = c.id
        ORDER BY ${sort} ${dir} NULLS LAST, c.id ${dir}
        LIMIT ${Math.max(1, Math.floor(list.size))} OFFSET ${Math.max(0, Math.floor(list.offset))}`, [partnerId, period, todayIso()]); // today as the portal sees it (TZ), like every other business date
    return { rows, total: n as number };
  }

  async items(period: string, f: ItemFilters, opts: { overdueOn?: string; includeClosed?: boolean; limit?: number } = {}) {
    const params: unknown[] = [period];
    let where = `ci.period = $1` + this.filterSql(f, params);
    if (opts.overdueOn) { params.push(opts.overdueOn); where += ` AND ci.status = 'open' AND ci.due_date < $${params.length}`; }
    if (!opts.includeClosed) where += ` AND ci.status <> 'not_applicable'`;
    return this.db.query(`SELECT ${ITEM_COLUMNS} ${ITEM_FROM} WHERE ${where} ORDER BY ci.due_date, c.code, t.sort_order LIMIT ${opts.limit ?? 2000}`, params);
  }

  /** Overdue open items of every period up to today (not only the current one). */
  async overdueItems(today: string, f: ItemFilters, limit = 200) {
    return (await this.overduePage(today, f, { sort: 'due', dir: 'asc', offset: 0, size: limit })).rows;
  }

  /**
   * One page of the overdue open items, sorted by a declared column, with the total. The default order (due date,
   * then partner, customer, item ids) is the key of checklist_item_open_due_order_idx, so a page reads its 50 rows
   * from the index instead of sorting every overdue item by joined codes; the count needs customer only to filter.
   */
  async overduePage(today: string, f: ItemFilters, list: Pick<ListQuery, 'sort' | 'dir' | 'offset' | 'size'>) {
    const params: unknown[] = [today];
    const where = `ci.status = 'open' AND ci.due_date < $1` + this.filterSql(f, params);
    const countFrom = f.region || f.customerClass || f.scope ? 'FROM checklist_item ci JOIN customer c ON c.id = ci.customer_id' : 'FROM checklist_item ci';
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n ${countFrom} WHERE ${where}`, params);
    const dir = list.dir === 'desc' ? 'DESC' : 'ASC';
    const sortKey = OVERDUE_LIST.sortable[list.sort] ? list.sort : OVERDUE_LIST.defaultSort;
    const order = sortKey === 'due'
      ? ['ci.due_date', 'ci.partner_id', 'ci.customer_id', 'ci.id'].map((c) => `${c} ${dir}`).join(', ') // index order (either direction)
      : `${OVERDUE_LIST.sortable[sortKey]} ${dir} NULLS LAST, p.code, c.code, ci.id`;
    const rows = await this.db.query(
      `SELECT ${ITEM_COLUMNS} ${ITEM_FROM} WHERE ${where} ORDER BY ${order}
        LIMIT ${Math.max(1, Math.floor(list.size))} OFFSET ${Math.max(0, Math.floor(list.offset))}`, params);
    return { rows, total: n as number };
  }

  /**
   * One page of partners (by code) with their completion for the period, and whether a next page exists. The page's
   * partners are picked first (an EXISTS probe per partner on checklist_item_partner_idx, stopping after the page),
   * then only their items are summed: never the whole quarter's million items (that aggregate, and counting every
   * partner for a total, took 1.6 s and 70 ms at 10,000 partners; README, bench:pages). Hence no total: prev/next.
   */
  async partnerCompletionPage(period: string, f: ItemFilters, today: string, page: { offset: number; size: number }) {
    const params: unknown[] = [period];
    const filter = this.filterSql(f, params);
    params.push(today);
    const size = Math.max(1, Math.floor(page.size));
    const customerJoin = f.region || f.customerClass || f.scope ? 'JOIN customer c ON c.id = ci.customer_id' : '';
    const rows = await this.db.query(
      `WITH page AS (
         SELECT p.id, p.code, p.name FROM partner p
          WHERE EXISTS (SELECT 1 FROM checklist_item ci ${customerJoin}
                         WHERE ci.partner_id = p.id AND ci.period = $1 AND ci.status <> 'not_applicable' ${filter})
          ORDER BY p.code LIMIT ${size + 1} OFFSET ${Math.max(0, Math.floor(page.offset))})
       SELECT page.id AS "partnerId", page.code AS "partnerCode", page.name AS "partnerName",
              sum(ci.required_count)::int AS required, sum(LEAST(ci.fulfilled_count, ci.required_count))::int AS fulfilled,
              count(*) FILTER (WHERE ci.status = 'open' AND ci.due_date < $${params.length}::date)::int AS overdue, count(DISTINCT ci.customer_id)::int AS customers
         FROM page JOIN checklist_item ci ON ci.partner_id = page.id ${customerJoin}
        WHERE ci.period = $1 AND ci.status <> 'not_applicable' ${filter}
        GROUP BY page.id, page.code, page.name ORDER BY page.code`, params);
    return {
      rows: rows.slice(0, size).map((r: { required: number; fulfilled: number }) => ({ ...r, rate: r.required ? (r.fulfilled / r.required).toFixed(4) : null })),
      hasNext: rows.length > size,
    };
  }

  /** Per partner: required, fulfilled (capped), completion rate and overdue items for the period (every partner: the API). */
  async partnerCompletion(period: string, f: ItemFilters, today: string) {
    const params: unknown[] = [period, today];
    const rows = await this.db.query(
      `SELECT p.id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName",
              sum(ci.required_count)::int AS required, sum(LEAST(ci.fulfilled_count, ci.required_count))::int AS fulfilled,
              count(*) FILTER (WHERE ci.status = 'open' AND ci.due_date < $2)::int AS overdue, count(DISTINCT ci.customer_id)::int AS customers
         ${ITEM_FROM}
        WHERE ci.period = $1 AND ci.status <> 'not_applicable' AND ci.partner_id IS NOT NULL ${this.filterSql(f, params)}
        GROUP BY p.id, p.code, p.name ORDER BY p.code`, params);
    return rows.map((r: { required: number; fulfilled: number }) => ({ ...r, rate: r.required ? (r.fulfilled / r.required).toFixed(4) : null }));
  }

  /** The partner a filter names: its code (exactly, any case) or its exact name. */
  async partnerByCodeOrName(text: string): Promise<{ id: number; code: string; name: string } | null> {
    const [p] = await this.db.query(`SELECT id, code, name FROM partner WHERE upper(code) = upper($1) OR name = $1 ORDER BY (upper(code) = upper($1)) DESC, id LIMIT 1`, [text]);
    return p ?? null;
  }

  async partnerById(id: number): Promise<{ id: number; code: string; name: string } | null> {
    const [p] = await this.db.query(`SELECT id, code, name FROM partner WHERE id = $1`, [id]);
    return p ?? null;
  }

  /** Open alerts of a partner (or all, null), of customers in `scope` when given (a channel manager's regions). */
  async alerts(partnerId: number | null, limit = 10, scope: string[] | null = null) {
    const params: unknown[] = [];
    let where = `ci.status = 'open'`;
    if (partnerId !== null) { params.push(partnerId); where += ` AND ci.partner_id = $${params.length}`; }
    if (scope) { params.push(scope); where += ` AND c.region = ANY($${params.length}::text[])`; }
    return this.db.query(
      `SELECT a.id, a.created_at AS "raisedAt", ${ITEM_COLUMNS}
         FROM duty_alert a JOIN checklist_item ci ON ci.id = a.checklist_item_id
         JOIN customer c ON c.id = ci.customer_id JOIN duty_template t ON t.id = ci.duty_template_id LEFT JOIN partner p ON p.id = ci.partner_id
        WHERE ${where} ORDER BY ci.due_date, a.id LIMIT ${limit}`, params);
  }

  async openAlertCount(partnerId: number | null, scope: string[] | null = null): Promise<number> {
    const params: unknown[] = [];
    let where = `ci.status = 'open'`;
    if (partnerId !== null) { params.push(partnerId); where += ` AND ci.partner_id = $${params.length}`; }
    if (scope) { params.push(scope); where += ` AND ci.customer_id IN (SELECT id FROM customer WHERE region = ANY($${params.length}::text[]))`; }
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM duty_alert a JOIN checklist_item ci ON ci.id = a.checklist_item_id WHERE ${where}`, params);
    return n;
  }

  async regions(): Promise<string[]> {
    return (await this.db.query(`SELECT DISTINCT region FROM customer WHERE region <> '' ORDER BY region`)).map((r: { region: string }) => r.region);
  }

  async templates(): Promise<DutyTemplate[]> {
    return this.db.getRepository(DutyTemplate).createQueryBuilder('t')
      .orderBy(`array_position(ARRAY['acquisition','development','maturity','decline','churn']::varchar[], t.stage)`).addOrderBy('t.sort_order').getMany();
  }

  async recordLagHours(): Promise<number> {
    const [r] = await this.db.query(`SELECT record_entry_lag_hours AS h FROM duty_setting WHERE id = 1`);
    return r?.h ?? 72;
  }

  async updateTemplate(actor: Actor, id: number, patch: Partial<Pick<DutyTemplate, 'name' | 'nameZh' | 'description' | 'requiredA' | 'requiredB' | 'requiredC' | 'dueDays' | 'hoursA' | 'hoursB' | 'hoursC' | 'active' | 'recordTypes'>>) {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(DutyTemplate);
      const t = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!t) throw new NotFoundException('duties:errors.templateNotFound');
      const bad = (patch.recordTypes ?? []).filter((r) => !isRecordType(r));
      if (bad.length) throw new RuleViolation('duties:errors.unknownRecordTypes', 'recordTypes', { types: bad.join(', '), list: RECORD_TYPES.join(', ') });
      if (patch.recordTypes && !patch.recordTypes.length) throw new RuleViolation('duties:errors.noRecordTypes', 'recordTypes');
      const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<DutyTemplate>;
      const next = { ...t, ...clean } as DutyTemplate;
      if (next.deadlineKind === 'within_hours' && (!next.hoursA || !next.hoursB || !next.hoursC)) throw new RuleViolation('duties:errors.hoursRequired', 'hoursA');
      const before = { ...t };
      await repo.update({ id }, { ...clean, updatedAt: new Date() });
      await this.audit.record(actor, { action: 'duties.template.update', entityType: 'duty_template', entityId: id, before, after: next }, m);
      return next;
    });
  }

  async setRecordLag(actor: Actor, hours: number) {
    if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 60) throw new RuleViolation('duties:errors.lagHours', 'recordEntryLagHours');
    await this.db.transaction(async (m) => {
      const before = await this.recordLagHours();
      await m.query(`UPDATE duty_setting SET record_entry_lag_hours = $1, updated_at = now() WHERE id = 1`, [hours]);
      await this.audit.record(actor, { action: 'duties.setting.update', entityType: 'duty_setting', entityId: 1, before: { recordEntryLagHours: before }, after: { recordEntryLagHours: hours } }, m);
    });
  }
}
