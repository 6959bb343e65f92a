import { RegionScopeService } from '../../core/auth/region-scope.service';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { formatDateTime } from '../../core/i18n/format.util';
import { RuleViolation } from '../../core/web/errors';
import { ListQuery, ListSpec } from '../../core/web/list-query';
import { NotificationsService } from '../notifications/notifications.service';
import { PartnersService } from '../partners/partners.service';
import { checkAnswer, checkRating, DEFAULT_RESPONSE_HOURS, isOverdue, isSupportKind, isSupportStatus, supportDueAt, SupportKind, SupportStatus, tierRankSql } from './support.util';

export interface SupportRow {
  id: number; partnerId: number; partnerCode: string; partnerName: string; tier: string | null; kind: SupportKind;
  subject: string; description: string; customerId: number | null; customerCode: string | null; customerName: string | null;
  responseHours: number; status: SupportStatus; createdAt: Date; dueAt: Date; answer: string | null; answeredAt: Date | null;
  answeredByName: string | null; rating: number | null; ratingComment: string | null; ratedAt: Date | null; overdue: boolean;
}
export interface SupportFilter { status?: SupportStatus; kind?: SupportKind; partnerId?: number; tier?: string; overdue?: boolean }

/** The queue: by default open first, better tiers first, then the earliest due (资源合理倾斜). */
export const SUPPORT_LIST: ListSpec = {
  sortable: {
    priority: `(s.status <> 'open'), ${tierRankSql('s.tier')}, s.due_at`,
    id: 's.id', createdAt: 's.created_at', dueAt: 's.due_at', partner: 'p.code', tier: tierRankSql('s.tier'),
    kind: 's.kind', status: 's.status', rating: 's.rating',
  },
  defaultSort: 'priority', defaultDir: 'asc', pageSize: 50, tieBreaker: 's.id',
};

export function parseSupportFilter(q: Record<string, string>): SupportFilter {
  const int = (v?: string) => (v && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
  return {
    status: isSupportStatus(q.status) ? q.status : undefined, kind: isSupportKind(q.kind) ? q.kind : undefined,
    partnerId: int(q.partnerId), tier: ['A', 'B', 'C'].includes(q.tier) ? q.tier : undefined, overdue: q.overdue === '1' ? true : undefined,
  };
}

const SELECT = `
  SELECT s.*, p.code AS partner_code, p.name AS partner_name, c.code AS customer_code, c.name AS customer_name,
         u.display_name AS answered_by_name
    FROM support_request s JOIN partner p ON p.id = s.partner_id
    LEFT JOIN customer c ON c.id = s.customer_id LEFT JOIN user_account u ON u.id = s.answered_by`;

function toRow(r: Record<string, unknown>): SupportRow {
  const row = {
    id: r.id as number, partnerId: r.partner_id as number, partnerCode: r.partner_code as string, partnerName: r.partner_name as string,
    tier: ((r.tier as string | null) ?? null)?.trim() || null, kind: r.kind as SupportKind, subject: r.subject as string, description: r.description as string,
    customerId: (r.customer_id as number | null) ?? null, customerCode: (r.customer_code as string | null) ?? null, customerName: (r.customer_name as string | null) ?? null,
    responseHours: r.response_hours as number, status: r.status as SupportStatus, createdAt: r.created_at as Date, dueAt: r.due_at as Date,
    answer: (r.answer as string | null) ?? null, answeredAt: (r.answered_at as Date | null) ?? null, answeredByName: (r.answered_by_name as string | null) ?? null,
    rating: (r.rating as number | null) ?? null, ratingComment: (r.rating_comment as string | null) ?? null, ratedAt: (r.rated_at as Date | null) ?? null,
  };
  return { ...row, overdue: isOverdue(row) };
}

/** Support requests of partners (seed 003 政策支持): asked by the partner, answered by staff within the tier's time, rated. */
@Injectable()
export class SupportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly scope: RegionScopeService,
  ) {}

  /** A partner user asks for support; the due time comes from the partner's tier (tier policy's response hours). */
  async create(actor: Actor, input: { kind: string; subject: string; description: string; customerId?: number | null }): Promise<SupportRow> {
    if (actor.role !== 'partner' || !actor.partnerId) throw new ForbiddenException('support:errors.partnersOnly');
    if (!isSupportKind(input.kind)) throw new RuleViolation('support:errors.badKind', 'kind');
    const subject = (input.subject ?? '').trim();
    const description = (input.description ?? '').trim();
    if (!subject) throw new RuleViolation('support:errors.subjectRequired', 'subject');
    if (!description) throw new RuleViolation('support:errors.descriptionRequired', 'description');
    const id = await this.db.transaction(async (m) => {
      const partner = await this.partners.getById(actor.partnerId!, m);
      if (input.customerId) {
        const [held] = await m.query(`SELECT 1 FROM customer_assignment WHERE customer_id = $1 AND partner_id = $2 AND valid_to IS NULL`, [input.customerId, partner.id]);
        if (!held) throw new RuleViolation('support:errors.notYourCustomer', 'customerId');
      }
      const hours = partner.tier ? (await this.partners.tierPolicy(partner.tier, m)).supportResponseHours : DEFAULT_RESPONSE_HOURS;
      const now = new Date();
      const [row] = await m.query(
        `INSERT INTO support_request (partner_id, kind, subject, description, customer_id, tier, response_hours, created_by, created_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [partner.id, input.kind, subject, description, input.customerId ?? null, partner.tier, hours, actor.id > 0 ? actor.id : null, now, supportDueAt(now, hours)]);
      await this.audit.record(actor, { action: 'support.create', entityType: 'support_request', entityId: row.id, partnerId: partner.id, after: { kind: input.kind, subject, tier: partner.tier, responseHours: hours } }, m);
      await this.notifications.notify({
        key: `support.requested:${row.id}`, kind: 'support.requested', link: `/support/${row.id}`,
        params: { id: row.id, code: partner.code, name: partner.name, subject, due: formatDateTime(supportDueAt(now, hours)) },
        users: await this.notifications.managersInCharge(partner.id, m),
      }, { manager: m });
      return row.id as number;
    });
    return this.getForActor(actor, id);
  }

  async page(actor: Actor, filter: SupportFilter, list: ListQuery): Promise<{ rows: SupportRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
    if (actor.role === 'partner') add('s.partner_id = ?', actor.partnerId ?? -1);
    else if (filter.partnerId) add('s.partner_id = ?', filter.partnerId);
    // a channel manager scoped to regions (#17): requests of their regions' partners only
    const scope = await this.scope.forActor(actor);
    if (scope) add('p.region = ANY(?::text[])', scope);
    if (filter.status) add('s.status = ?', filter.status);
    if (filter.kind) add('s.kind = ?', filter.kind);
    if (filter.tier) add('s.tier = ?', filter.tier);
    if (filter.overdue) where.push(`s.status = 'open' AND s.due_at < now()`);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM support_request s JOIN partner p ON p.id = s.partner_id ${w}`, params);
    const rows = await this.db.query(`${SELECT} ${w} ORDER BY ${list.orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, list.size, list.offset]);
    return { rows: rows.map(toRow), total };
  }

  /** One request; another partner's answers 404 (never 403), and so does another region's for a scoped manager (#17). */
  async getForActor(actor: Actor, id: number, manager?: EntityManager): Promise<SupportRow> {
    const [row] = await (manager ?? this.db.manager).query(`${SELECT} WHERE s.id = $1`, [id]);
    if (!row || (actor.role === 'partner' && row.partner_id !== actor.partnerId)) throw new NotFoundException('support:errors.notFound');
    if (!(await this.scope.partnerInScope(actor, row.partner_id, manager))) throw new NotFoundException('support:errors.notFound');
    return toRow(row);
  }

  /** Staff answer (again, until the partner has rated it); the partner's users are told. */
  async answer(actor: Actor, id: number, text: string): Promise<SupportRow> {
    await this.db.transaction(async (m) => {
      const [r] = await m.query(`SELECT id, partner_id, status, answer, subject FROM support_request WHERE id = $1 FOR UPDATE`, [id]);
      if (!r || !(await this.scope.partnerInScope(actor, r.partner_id, m))) throw new NotFoundException('support:errors.notFound');
      const answer = checkAnswer(r.status, text);
      const [[u]] = await m.query(`UPDATE support_request SET answer = $2, answered_by = $3, answered_at = clock_timestamp(), status = 'answered' WHERE id = $1 RETURNING answered_at`, [id, answer, actor.id > 0 ? actor.id : null]);
      await this.audit.record(actor, { action: 'support.answer', entityType: 'support_request', entityId: id, partnerId: r.partner_id, before: { status: r.status, answer: r.answer }, after: { status: 'answered', answer } }, m);
      await this.notifications.notify({
        key: `support.answered:${id}:${new Date(u.answered_at).getTime()}`, kind: 'support.answered', link: `/my/support/${id}`,
        params: { id, subject: r.subject }, users: await this.notifications.usersOfPartner(r.partner_id, m),
      }, { manager: m });
    });
    return this.getForActor(actor, id);
  }

  /** The partner rates the answer 1–5 with a comment; that closes the request. */
  async rate(actor: Actor, id: number, rating: number, comment?: string | null): Promise<SupportRow> {
    await this.db.transaction(async (m) => {
      const [r] = await m.query(`SELECT id, partner_id, status FROM support_request WHERE id = $1 FOR UPDATE`, [id]);
      if (!r || actor.role !== 'partner' || r.partner_id !== actor.partnerId) throw new NotFoundException('support:errors.notFound');
      const v = checkRating(r.status, rating, comment);
      await m.query(`UPDATE support_request SET rating = $2, rating_comment = $3, rated_at = now(), status = 'closed' WHERE id = $1`, [id, v.rating, v.comment]);
      await this.audit.record(actor, { action: 'support.rate', entityType: 'support_request', entityId: id, partnerId: r.partner_id, before: { status: r.status }, after: { status: 'closed', ...v } }, m);
    });
    return this.getForActor(actor, id);
  }

  /**
   * Overdue alert: each open request past its due time is flagged once and its managers told, in one transaction
   * (the scheduled job and a retry never alert twice).
   */
  async raiseOverdueAlerts(now: Date = new Date()): Promise<number> {
    return this.db.transaction(async (m) => {
      // an UPDATE … RETURNING answers [rows, count] through TypeORM
      const [rows]: [{ id: number; partner_id: number; subject: string; due_at: Date; code: string; name: string }[]] = await m.query(
        `UPDATE support_request s SET overdue_alerted_at = $1 FROM partner p
          WHERE p.id = s.partner_id AND s.status = 'open' AND s.due_at < $1 AND s.overdue_alerted_at IS NULL
          RETURNING s.id, s.partner_id, s.subject, s.due_at, p.code, p.name`, [now]);
      for (const r of rows) {
        await this.notifications.notify({
          key: `support.overdue:${r.id}`, kind: 'support.overdue', link: `/support/${r.id}`,
          params: { id: r.id, code: r.code, name: r.name, subject: r.subject, due: formatDateTime(r.due_at) },
          users: await this.notifications.managersInCharge(r.partner_id, m),
        }, { manager: m });
      }
      return rows.length;
    });
  }

  /** Counts for the home panel: open, overdue (staff: all; partner: own). */
  async counts(actor: Actor): Promise<{ open: number; overdue: number; toRate: number }> {
    const own = actor.role === 'partner';
    const [r] = await this.db.query(
      `SELECT count(*) FILTER (WHERE status = 'open')::int AS open, count(*) FILTER (WHERE status = 'open' AND due_at < now())::int AS overdue,
              count(*) FILTER (WHERE status = 'answered')::int AS "toRate"
         FROM support_request ${own ? 'WHERE partner_id = $1' : ''}`, own ? [actor.partnerId ?? -1] : []);
    return r;
  }
}
