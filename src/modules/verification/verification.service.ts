import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { partnerInScopeSql } from '../../core/auth/region-scope.util';
import { AppConfig } from '../../core/config/app-config.service';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { parsePeriod, Quarter, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { ListQuery, ListSpec } from '../../core/web/list-query';
import { formatDate } from '../../core/i18n/format.util';
import { DutiesService } from '../duties/duties.service';
import { RecordUntickService } from '../duties/record-untick.service';
import { NotificationsService } from '../notifications/notifications.service';
import * as Q from './queries/verification.sql';
import { accuracyPercent, quarterOver, SampleRule, sampleSize } from './sample-size.util';

export const ITEM_STATUSES = ['pending', 'confirmed', 'not_confirmed'] as const;
export const OUTCOMES = ['confirmed', 'not_confirmed'] as const;
export const METHODS = ['call_back', 'visit'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type Method = (typeof METHODS)[number];

/** The draft score sheet of a partner's quarter is recomputed after a record is not confirmed (queued in that transaction). */
export const VERIFICATION_REFRESH_SCORE_JOB = 'verification.refresh-score';

export interface ItemFilter { period?: string; partnerId?: number; status?: ItemStatus }
export interface ItemRow {
  id: number; period: string; status: ItemStatus; method: Method | null; note: string | null; verifiedAt: Date | null;
  itemsUnticked: number | null; quarterLocked: boolean | null; partnerId: number; partnerCode: string; partnerName: string;
  recordId: string; recordType: string; occurredAt: Date; description: string; recordOutcome: string;
  customerId: number; customerCode: string; customerName: string; region: string; verifiedByName: string | null;
}
export interface AccuracyRow {
  period: string; partnerId: number; partnerCode: string; partnerName: string; recordCount: number; sampled: number;
  verified: number; confirmed: number; notConfirmed: number; accuracyPercent: string | null;
}
export interface DecisionResult { item: ItemRow; itemsUnticked: number; quarterLocked: boolean }
export interface OutcomeInput { outcome: unknown; method: unknown; note?: unknown }

/** An outcome as the manager gave it: a known outcome and method; "not confirmed" needs a note (what the customer said). */
export function checkOutcome(input: OutcomeInput): { outcome: Outcome; method: Method; note: string } {
  const outcome = input.outcome as Outcome;
  const method = input.method as Method;
  if (!(OUTCOMES as readonly string[]).includes(outcome)) throw new RuleViolation('verification:errors.outcome', 'outcome');
  if (!(METHODS as readonly string[]).includes(method)) throw new RuleViolation('verification:errors.method', 'method');
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  if (outcome === 'not_confirmed' && !note) throw new RuleViolation('verification:errors.noteRequired', 'note');
  if (note.length > 2000) throw new RuleViolation('verification:errors.noteLength', 'note');
  return { outcome, method, note };
}

/** Sortable columns of the work list. */
export const ITEMS_LIST: ListSpec = {
  sortable: { id: 'i.id', period: 'i.period', partner: 'p.code', customer: 'c.code', occurredAt: 'r.occurred_at', type: 'r.record_type', status: 'i.status', verifiedAt: 'i.verified_at' },
  defaultSort: 'id', defaultDir: 'asc', pageSize: 50, tieBreaker: 'i.id',
};

export function parseItemFilter(q: Record<string, string>): ItemFilter {
  return {
    period: q.period && /^\d{4}Q[1-4]$/.test(q.period) ? q.period : undefined,
    partnerId: q.partnerId && /^\d{1,9}$/.test(q.partnerId) ? Number(q.partnerId) : undefined,
    status: (ITEM_STATUSES as readonly string[]).includes(q.status) ? (q.status as ItemStatus) : undefined,
  };
}

function checkPeriod(period: string): Quarter {
  try { return parsePeriod(period); } catch { throw new RuleViolation('errors:period.invalid', 'period', { value: period ?? '' }); }
}

/**
 * Verified service records (#17): a quarterly random sample of each partner's service records goes to the channel
 * managers, who call the customer back or visit; a record not confirmed takes back the duty ticks it gave (so duty
 * completion and Y drop), counts against the partner's record accuracy and can be raised as a violation.
 */
@Injectable()
export class VerificationService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly config: AppConfig,
    private readonly duties: DutiesService, private readonly untick: RecordUntickService, private readonly jobs: JobQueue,
    private readonly scope: RegionScopeService, private readonly notifications: NotificationsService) {}


  rule(): SampleRule {
    return { percent: this.config.get('VERIFICATION_SAMPLE_PERCENT'), min: this.config.get('VERIFICATION_SAMPLE_MIN') };
  }

  /**
   * Draws the quarter's sample for every partner with records there (or one partner) that has none yet; a partner
   * already drawn keeps its sample (never redrawn), so the button and the CLI can be used again safely.
   */
  async draw(actor: Actor, period: string, partnerId?: number | null, manager?: EntityManager): Promise<{ samples: number; items: number; existing: number }> {
    const q = checkPeriod(period);
    if (!quarterOver(q.end, todayIso())) throw new RuleViolation('verification:errors.quarterNotOver', 'period', { period: q.code, end: q.end });
    const code = q.code;
    const rule = this.rule();
    const run = async (m: EntityManager) => {
      if (partnerId) await this.scope.assertPartner(actor, partnerId, m);
      const regions = await this.scope.forActor(actor, m);
      const todo: { partnerId: number; n: number }[] = await m.query(Q.TO_DRAW_SQL, [code, partnerId ?? null, regions]);
      const plan = todo.map((t) => ({ ...t, size: sampleSize(t.n, rule), seed: randomBytes(16).toString('hex') }));
      const [r] = plan.length ? await m.query(Q.DRAW_SQL, [code, plan.map((p) => p.partnerId), plan.map((p) => p.n), plan.map((p) => p.size), plan.map((p) => p.seed),
        rule.percent, rule.min, actor.id > 0 ? actor.id : null]) : [{ samples: 0, items: 0 }];
      const [{ existing }] = await m.query(`SELECT count(*)::int AS existing FROM verification_sample WHERE period = $1 AND ($2::int IS NULL OR partner_id = $2::int)
        AND ($3::text[] IS NULL OR ${partnerInScopeSql('partner_id', '$3')})`, [code, partnerId ?? null, regions]);
      const result = { samples: r.samples as number, items: r.items as number, existing: (existing as number) - (r.samples as number) };
      await this.audit.record(actor, { action: 'verification.sample', entityType: 'period', entityId: code, partnerId: partnerId ?? null, after: { ...result, rule } }, m);
      return result;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  async page(actor: Actor, f: ItemFilter, list: Pick<ListQuery, 'orderBy' | 'offset' | 'size'>): Promise<{ rows: ItemRow[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const regions = await this.scope.forActor(actor);
    // a channel manager scoped to regions works on the samples of partners there only (#17)
    if (regions) { params.push(regions); where.push(partnerInScopeSql('i.partner_id', `$${params.length}`)); }
    if (f.period) { params.push(f.period); where.push(`i.period = $${params.length}`); }
    if (f.partnerId) { params.push(f.partnerId); where.push(`i.partner_id = $${params.length}`); }
    if (f.status) { params.push(f.status); where.push(`i.status = $${params.length}`); }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM verification_item i ${cond}`, params);
    const rows = await this.db.query(`SELECT ${Q.ITEM_COLUMNS} ${Q.ITEMS_FROM} ${cond} ORDER BY ${list.orderBy}
      LIMIT ${Math.max(1, Math.floor(list.size))} OFFSET ${Math.max(0, Math.floor(list.offset))}`, params);
    return { rows, total: n };
  }

  /** Sampled records still to verify, per quarter and partner (oldest quarter first), and their total: the managers' home panel. */
  async pendingByPartner(actor: Actor, limit = 6): Promise<{ total: number; rows: { period: string; partnerId: number; partnerCode: string; partnerName: string; pending: number }[] }> {
    const regions = await this.scope.forActor(actor);
    const rows = await this.db.query(
      `SELECT i.period, i.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName", count(*)::int AS pending
         FROM verification_item i JOIN partner p ON p.id = i.partner_id
        WHERE i.status = 'pending' AND ($2::text[] IS NULL OR p.region = ANY($2::text[]))
        GROUP BY i.period, i.partner_id, p.code, p.name ORDER BY i.period, p.code LIMIT $1`, [limit, regions]);
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM verification_item i JOIN partner p ON p.id = i.partner_id
      WHERE i.status = 'pending' AND ($1::text[] IS NULL OR p.region = ANY($1::text[]))`, [regions]);
    return { total: n, rows };
  }

  /** Periods and partners that have samples (the work list's filter choices). */
  async filterOptions(actor: Actor): Promise<{ periods: string[]; partners: { id: number; code: string; name: string }[] }> {
    const periods = await this.db.query(`SELECT DISTINCT period FROM verification_sample ORDER BY period DESC`);
    const partners = await this.db.query(`SELECT DISTINCT p.id, p.code, p.name FROM verification_sample s JOIN partner p ON p.id = s.partner_id
      WHERE ($1::text[] IS NULL OR p.region = ANY($1::text[])) ORDER BY p.code`, [await this.scope.forActor(actor)]);
    return { periods: periods.map((r: { period: string }) => r.period), partners };
  }

  /** One sampled record; outside the actor's regions it answers 404 like a missing one. */
  async get(actor: Actor, id: number, m: EntityManager = this.db.manager, lock = false): Promise<ItemRow> {
    if (lock) await m.query(`SELECT id FROM verification_item WHERE id = $1 FOR UPDATE`, [id]);
    const [row] = await m.query(`SELECT ${Q.ITEM_COLUMNS} ${Q.ITEMS_FROM} WHERE i.id = $1`, [id]);
    if (!row || !(await this.scope.partnerInScope(actor, row.partnerId, m))) throw new NotFoundException('verification:errors.notFound');
    return row;
  }

  /**
   * The manager's outcome for a sampled record, once. "Not confirmed" needs a note and takes back the record's duty
   * ticks — unless its quarter is locked: then the outcome is recorded only (counts for accuracy, can be raised as a
   * violation) and the duty items stay, which the result says.
   */
  async decide(actor: Actor, id: number, input: OutcomeInput): Promise<DecisionResult> {
    const { outcome, method, note } = checkOutcome(input);
    return this.db.transaction(async (m) => {
      const item = await this.get(actor, id, m, true);
      if (item.status !== 'pending') throw new RuleViolation('verification:errors.decided', 'outcome', { id });
      let unticked = 0;
      let locked = false;
      if (outcome === 'not_confirmed') {
        locked = await this.duties.isQuarterLocked(item.period, m);
        if (!locked) unticked = await this.changeTicks(item, m, actor);
      }
      await m.query(
        `UPDATE verification_item SET status = $2, method = $3, note = $4, items_unticked = $5, quarter_locked = $6, verified_at = now(), verified_by = $7 WHERE id = $1`,
        [id, outcome, method, note || null, outcome === 'not_confirmed' ? unticked : null, outcome === 'not_confirmed' ? locked : null, actor.id > 0 ? actor.id : null]);
      if (outcome === 'not_confirmed') await this.tellPartner(item, method, note, unticked, locked, m);
      await this.audit.record(actor, {
        action: 'verification.outcome', entityType: 'service_record', entityId: item.recordId, partnerId: item.partnerId,
        before: { status: 'pending' }, after: { verificationItemId: id, outcome, method, itemsUnticked: unticked, quarterLocked: locked }, reason: note || null,
      }, m);
      return { item: await this.get(actor, id, m), itemsUnticked: unticked, quarterLocked: locked };
    });
  }

  /**
   * Takes back the duty ticks of a not-confirmed record (not those other records still give), or — `giveBack`, a
   * correction to confirmed — gives them back; the draft Y follows in a job. Returns the checklist items changed.
   */
  async changeTicks(item: ItemRow, m: EntityManager, actor: Actor, giveBack = false): Promise<number> {
    const others: { id: string }[] = await m.query(
      `SELECT v.service_record_id::text AS id FROM verification_item v JOIN service_record r ON r.id = v.service_record_id
        WHERE v.status = 'not_confirmed' AND r.customer_id = $1 AND r.period = $2 AND r.partner_id = $3`, [item.customerId, item.period, item.partnerId]);
    const ids = others.map((o) => o.id);
    const changed = giveBack ? await this.untick.retick(item.recordId, ids, m) : await this.untick.untick(item.recordId, ids, m);
    if (changed) await this.jobs.enqueue(VERIFICATION_REFRESH_SCORE_JOB, { partnerId: item.partnerId, period: item.period }, { manager: m, createdBy: actor.id > 0 ? actor.id : null });
    return changed;
  }

  /**
   * A quarter was unlocked (a durable job queued by the unlock): the "not confirmed" outcomes recorded while it was
   * locked take back their ticks now, by the decision's own rule, each in its own transaction. A quarter locked again
   * before the job runs keeps them held. Returns how many outcomes were applied.
   */
  async applyHeldOutcomes(period: string): Promise<number> {
    const held: { id: number }[] = await this.db.query(
      `SELECT id FROM verification_item WHERE period = $1 AND status = 'not_confirmed' AND quarter_locked ORDER BY id`, [period]);
    let applied = 0;
    for (const { id } of held) {
      applied += await this.db.transaction(async (m) => {
        if (await this.duties.isQuarterLocked(period, m)) return 0;
        const item = await this.get(SYSTEM_ACTOR, id, m, true);
        if (item.status !== 'not_confirmed' || !item.quarterLocked) return 0;
        const unticked = await this.changeTicks(item, m, SYSTEM_ACTOR);
        await m.query(`UPDATE verification_item SET quarter_locked = false, items_unticked = $2 WHERE id = $1`, [id, unticked]);
        await this.audit.record(SYSTEM_ACTOR, {
          action: 'verification.outcome.applied', entityType: 'service_record', entityId: item.recordId, partnerId: item.partnerId,
          before: { quarterLocked: true }, after: { verificationItemId: id, itemsUnticked: unticked, quarterLocked: false, after: 'duties.unlock' },
        }, m);
        return 1;
      });
    }
    return applied;
  }

  /** The partner's users hear that a record was not confirmed, why, and what it changed — in the outcome's transaction. */
  async tellPartner(item: ItemRow, method: Method, note: string, unticked: number, locked: boolean, m: EntityManager): Promise<void> {
    await this.notifications.notify({
      key: `verification.notConfirmed:${item.id}`, kind: 'verification.notConfirmed', link: `/my/records?period=${item.period}`,
      users: await this.notifications.usersOfPartner(item.partnerId, m),
      params: {
        customer: `${item.customerCode} ${item.customerName}`, period: item.period, date: formatDate(item.occurredAt), note,
        recordType: `duties:recordType.${item.recordType}`, method: `verification:method.${method}`,
        effect: locked ? 'verification:notice.quarterLocked' : unticked ? 'verification:notice.ticksWithdrawn' : 'verification:notice.noTicks',
      },
    }, { manager: m });
  }

  /**
   * Record accuracy (confirmed / verified sampled records) per partner and quarter — for the summary page and for
   * reports. Without a period: every quarter; without partners: every partner with a sample.
   */
  async accuracyFor(period?: string | null, partnerIds?: number[] | null, manager?: EntityManager, regions?: string[] | null): Promise<AccuracyRow[]> {
    const code = period ? checkPeriod(period).code : null;
    const rows: Omit<AccuracyRow, 'accuracyPercent'>[] = await (manager ?? this.db.manager).query(Q.ACCURACY_SQL,
      [code, partnerIds?.length ? partnerIds : null, regions ?? null]);
    return rows.map((r) => ({ ...r, accuracyPercent: accuracyPercent(r.confirmed, r.verified) }));
  }

  /** Record accuracy as the actor may see it (a scoped manager: their regions' partners). */
  async accuracyForActor(actor: Actor, period?: string | null): Promise<AccuracyRow[]> {
    return this.accuracyFor(period, null, undefined, await this.scope.forActor(actor));
  }
}
