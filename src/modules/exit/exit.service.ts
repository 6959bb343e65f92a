import { RegionScopeService } from '../../core/auth/region-scope.service';
import { inRegionScope } from '../../core/auth/region-scope.util';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { ListQuery, ListSpec } from '../../core/web/list-query';
import { PartnersService } from '../partners/partners.service';
import { ViolationsService } from '../violations/violations.service';
import { ExitCollaborators } from './exit-collaborators';
import { coveredFrom, describeTrigger, ExitEvidence, ExitRules, ExitTrigger, triggeredProposals } from './exit-rules.util';
import { ExitProposal, ExitRule } from './exit.entities';
import { HandoverService } from './handover.service';
import { NotificationEvents } from '../notifications/notification-events.service';

export interface ProposalRow extends ExitProposal { partnerCode: string; partnerName: string; partnerStatus: string; summary: { message: string; params: Record<string, unknown> } }

/** The proposals list and the archive (completed exits): sortable columns (URL key -> SQL). */
export const PROPOSAL_LIST: ListSpec = {
  sortable: { id: 'x.id', partner: 'p.code', trigger: 'x.trigger', status: 'x.status', proposed: 'x.proposed_at', decided: 'x.decided_at', exitDate: 'x.exit_date', completed: 'x.completed_at' },
  defaultSort: 'proposed', defaultDir: 'desc', pageSize: 50, tieBreaker: 'x.id',
};
export const ARCHIVE_LIST: ListSpec = { ...PROPOSAL_LIST, defaultSort: 'exitDate', defaultDir: 'desc' };
export interface ProposalFilter {
  status?: string; trigger?: string; q?: string; completedOnly?: boolean;
  /** a scoped channel manager's regions (#17, RegionScopeService): proposals of those partners only */
  scope?: string[] | null;
}

/** Exit proposals: evaluation of the configured triggers, voluntary requests, approval and dismissal. */
@Injectable()
export class ExitService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly violations: ViolationsService,
    private readonly collaborators: ExitCollaborators,
    private readonly handovers: HandoverService,
    private readonly audit: AuditService,
    private readonly notify: NotificationEvents,
    private readonly scope: RegionScopeService,
  ) {}

  async rules(manager?: EntityManager): Promise<ExitRule> {
    return (await (manager ?? this.db.manager).getRepository(ExitRule).findOne({ where: { id: 1 } }))!;
  }

  async updateRules(actor: Actor, input: Partial<ExitRules>): Promise<ExitRule> {
    const num = (v: unknown, min: number, max: number, field: string) => {
      if (v === undefined) return undefined;
      const s = String(v).trim();
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(s) || Number(s) < min || Number(s) > max) throw new RuleViolation('exit:errors.ruleNumber', field, { field: `exit:rules.field.${field}`, min, max });
      return s;
    };
    const patch = {
      ...input,
      scoreFloor: num(input.scoreFloor, 0, 100, 'scoreFloor'), lowScoreBelow: num(input.lowScoreBelow, 0, 100, 'lowScoreBelow'),
      consecutiveLowQuarters: input.consecutiveLowQuarters === undefined ? undefined : Number(num(input.consecutiveLowQuarters, 1, 8, 'consecutiveLowQuarters')),
    };
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    return this.db.transaction(async (m) => {
      const before = await this.rules(m);
      await m.getRepository(ExitRule).update({ id: 1 }, { ...clean, updatedAt: new Date() });
      await this.audit.record(actor, { action: 'exit-rule.update', entityType: 'exit_rule', entityId: 1, before, after: clean }, m);
      return this.rules(m);
    });
  }

  /**
   * Evaluates the triggers for active and suspended partners (or the given ones) and inserts the proposals they ask
   * for. Idempotent: facts covered by an earlier proposal are not raised again, and the open-proposal unique index
   * absorbs a concurrent run.
   */
  async evaluate(actor: Actor, opts: { period?: string; partnerIds?: number[] } = {}, log: (key: string, params?: Record<string, unknown>) => void = () => undefined): Promise<ExitProposal[]> {
    const rules = await this.rules();
    let partners = await this.partners.listByStatus(['active', 'suspended']);
    if (opts.partnerIds) partners = partners.filter((p) => opts.partnerIds!.includes(p.id));
    const confirmedIn = opts.period ? await this.collaborators.confirmedSheets(opts.period) : null;
    const created: ExitProposal[] = [];
    const today = todayIso();
    for (const [i, p] of partners.entries()) {
      const majors = (await this.violations.hasConfirmedMajor(p.id))
        ? (await this.violations.listForPartner(p.id)).filter((v) => v.severity === 'major' && v.status === 'recorded').map((v) => v.id) : [];
      let scores = await this.collaborators.lastConfirmedScores(p.id, Math.max(rules.consecutiveLowQuarters, 1));
      if (opts.period) {
        scores = scores.filter((s) => s.period <= opts.period!);
        const sheet = confirmedIn?.get(p.id);
        if (sheet && !scores.some((s) => s.period === opts.period)) scores = [{ period: opts.period, scoreY: sheet.scoreY }, ...scores];
      }
      const earlier = await this.db.getRepository(ExitProposal).find({ where: { partnerId: p.id } });
      const wanted = triggeredProposals(rules, { majorViolationIds: majors, scores, contractEndOn: p.contractEndOn, today }, coveredFrom(earlier));
      for (const w of wanted) {
        const saved = await this.insertProposal(actor, p.id, w.trigger, w.evidence);
        if (saved) created.push(saved);
      }
      if ((i + 1) % 50 === 0) log('exit:cli.progress', { done: i + 1, total: partners.length });
    }
    log('exit:cli.evaluated', { count: partners.length, created: created.length });
    return created;
  }

  /** Inserts unless an open proposal of the same trigger exists (then returns null). */
  private async insertProposal(actor: Actor, partnerId: number, trigger: ExitTrigger, evidence: ExitEvidence, manager?: EntityManager): Promise<ExitProposal | null> {
    const run = async (m: EntityManager) => {
      const rows: { id: number }[] = await m.query(
        `INSERT INTO exit_proposal (partner_id, trigger, evidence, proposed_by) VALUES ($1, $2, $3::jsonb, $4)
         ON CONFLICT (partner_id, trigger) WHERE status IN ('proposed','approved') DO NOTHING RETURNING id`,
        [partnerId, trigger, JSON.stringify(evidence), actor.id > 0 ? actor.id : null]);
      if (!rows.length) return null;
      // one violation, at most one proposal (#16): a violation already claimed by any proposal refuses this one
      const ids = trigger === 'major_violation' ? evidence.violationIds ?? [] : [];
      if (ids.length) {
        const claimed = await m.query(`INSERT INTO exit_proposal_violation (violation_id, proposal_id) SELECT unnest($1::int[]), $2 ON CONFLICT DO NOTHING RETURNING violation_id`, [ids, rows[0].id]);
        if (claimed.length < ids.length) throw new ProposalAlreadyMade();
      }
      await this.notify.exitProposed(rows[0].id, m);
      await this.audit.record(actor, { action: 'exit.propose', entityType: 'exit_proposal', entityId: rows[0].id, partnerId, after: { trigger, evidence } }, m);
      return m.getRepository(ExitProposal).findOneOrFail({ where: { id: rows[0].id } });
    };
    try {
      return await (manager ? run(manager) : this.db.transaction(run));
    } catch (e) {
      if (e instanceof ProposalAlreadyMade && !manager) return null; // rolled back: nothing proposed twice
      throw e;
    }
  }

  /** A partner asks to end the partnership itself. */
  async requestVoluntary(actor: Actor, note: string): Promise<ExitProposal> {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    const partner = await this.partners.getById(partnerId);
    if (!['active', 'suspended'].includes(partner.status)) throw new RuleViolation('exit:errors.cannotRequest', undefined, { status: `exit:partnerStatus.${partner.status}` });
    const clean = (note ?? '').trim();
    if (!clean) throw new RuleViolation('exit:errors.noteRequired', 'note');
    const saved = await this.insertProposal(actor, partnerId, 'voluntary', { note: clean.slice(0, 2000), requestedBy: actor.id });
    if (!saved) throw new RuleViolation('exit:errors.alreadyRequested');
    return saved;
  }

  /** Approval makes the partner `exiting` and opens the handover plan, in one transaction. */
  async approve(actor: Actor, id: number, reason: string): Promise<ExitProposal> {
    const clean = requireReason(reason);
    return this.db.transaction(async (m) => {
      const p = await this.lockProposal(m, id, 'proposed');
      if (await m.getRepository(ExitProposal).exists({ where: { partnerId: p.partnerId, status: 'approved' } })) {
        throw new RuleViolation('exit:errors.alreadyInProgress');
      }
      await this.partners.transition(actor, p.partnerId, 'exiting', { reason: `退出提议 #${p.id} 已批准：${clean}` }, m);
      await m.getRepository(ExitProposal).update({ id }, { status: 'approved', decidedBy: actor.id > 0 ? actor.id : null, decidedAt: new Date(), reason: clean });
      // the other open proposals of the partner are answered by this exit
      const others = await m.getRepository(ExitProposal).find({ where: { partnerId: p.partnerId, status: 'proposed' } });
      for (const o of others) {
        await m.getRepository(ExitProposal).update({ id: o.id }, { status: 'dismissed', decidedBy: actor.id > 0 ? actor.id : null, decidedAt: new Date(), reason: `已由获批的退出提议 #${id} 取代` });
      }
      await this.handovers.createPlan(actor, id, p.partnerId, m);
      await this.notify.exitApproved(id, m);
      await this.audit.record(actor, { action: 'exit.approve', entityType: 'exit_proposal', entityId: id, partnerId: p.partnerId, before: { status: 'proposed' }, after: { status: 'approved' }, reason: clean }, m);
      return m.getRepository(ExitProposal).findOneOrFail({ where: { id } });
    });
  }

  async dismiss(actor: Actor, id: number, reason: string): Promise<ExitProposal> {
    const clean = requireReason(reason);
    return this.db.transaction(async (m) => {
      const p = await this.lockProposal(m, id, 'proposed');
      await m.getRepository(ExitProposal).update({ id }, { status: 'dismissed', decidedBy: actor.id > 0 ? actor.id : null, decidedAt: new Date(), reason: clean });
      await this.audit.record(actor, { action: 'exit.dismiss', entityType: 'exit_proposal', entityId: id, partnerId: p.partnerId, before: { status: 'proposed' }, after: { status: 'dismissed' }, reason: clean }, m);
      return m.getRepository(ExitProposal).findOneOrFail({ where: { id } });
    });
  }

  /** One page of proposals, filtered (status, trigger, partner code or name) and sorted on the server. */
  async page(filter: ProposalFilter, list: ListQuery): Promise<{ rows: ProposalRow[]; total: number }> {
    const rules = await this.rules();
    const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const where = `WHERE ($1::text IS NULL OR x.status = $1) AND ($2::text IS NULL OR x.trigger = $2) AND ($3::text IS NULL OR p.code ILIKE $3 OR p.name ILIKE $3)
      AND ($4::text[] IS NULL OR p.region = ANY($4::text[]))`;
    const params = [filter.completedOnly ? 'completed' : filter.status || null, filter.trigger || null, like, filter.scope ?? null];
    const from = `FROM exit_proposal x JOIN partner p ON p.id = x.partner_id`;
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n ${from} ${where}`, params);
    const rows: (ExitProposal & { partnerCode: string; partnerName: string; partnerStatus: string })[] = await this.db.query(
      `SELECT x.id, x.partner_id AS "partnerId", x.trigger, x.evidence, x.status, x.proposed_at AS "proposedAt", x.proposed_by AS "proposedBy",
              x.decided_by AS "decidedBy", x.decided_at AS "decidedAt", x.reason, x.exit_date::text AS "exitDate", x.completed_by AS "completedBy",
              x.completed_at AS "completedAt", x.final_settlement_batch_id AS "finalSettlementBatchId",
              p.code AS "partnerCode", p.name AS "partnerName", p.status AS "partnerStatus"
         ${from} ${where} ORDER BY ${list.orderBy} LIMIT $5 OFFSET $6`, [...params, list.size, list.offset]);
    return {
      rows: rows.map((r) => {
        const evidence = (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence ?? {}) as ExitEvidence;
        return { ...r, evidence, summary: describeTrigger(r.trigger, evidence, rules) };
      }),
      total: n,
    };
  }

  async list(filter: { status?: string; partnerId?: number; scope?: string[] | null } = {}): Promise<ProposalRow[]> {
    const rules = await this.rules();
    const where: Record<string, unknown> = {};
    if (filter.status) where.status = filter.status;
    if (filter.partnerId) where.partnerId = filter.partnerId;
    const rows = await this.db.getRepository(ExitProposal).find({ where, order: { proposedAt: 'DESC', id: 'DESC' }, take: 500 });
    const partners = await this.partners.findByIds(rows.map((r) => r.partnerId));
    return rows.filter((r) => !filter.scope || inRegionScope(filter.scope, partners.get(r.partnerId)?.region)).map((r) => {
      const p = partners.get(r.partnerId);
      return { ...r, partnerCode: p?.code ?? '', partnerName: p?.name ?? '', partnerStatus: p?.status ?? '', summary: describeTrigger(r.trigger, r.evidence, rules) };
    });
  }

  /** 404 (as if missing) when the proposal's partner lies outside a scoped channel manager's regions (#17). */
  async assertInScope(actor: Actor, proposalId: number): Promise<void> {
    const [x] = await this.db.query(`SELECT partner_id FROM exit_proposal WHERE id = $1`, [proposalId]);
    if (!x || !(await this.scope.partnerInScope(actor, x.partner_id))) throw new NotFoundException('exit:errors.proposalNotFound');
  }

  /** One proposal; with `actor`, a channel manager scoped to regions gets 404 for other regions' partners (#17). */
  async get(id: number, actor?: Actor): Promise<ProposalRow> {
    if (actor) await this.assertInScope(actor, id);
    const [row] = (await this.list()).filter((r) => r.id === id);
    if (row) return row;
    const p = await this.db.getRepository(ExitProposal).findOne({ where: { id } });
    if (!p) throw new NotFoundException('exit:errors.proposalNotFound');
    const partner = await this.partners.getById(p.partnerId);
    return { ...p, partnerCode: partner.code, partnerName: partner.name, partnerStatus: partner.status, summary: describeTrigger(p.trigger, p.evidence, await this.rules()) };
  }

  /** The violations named in a proposal's evidence, for its page. */
  async evidenceViolations(p: ExitProposal) {
    const ids = new Set(p.evidence.violationIds ?? []);
    return ids.size ? (await this.violations.listForPartner(p.partnerId)).filter((v) => ids.has(v.id)) : [];
  }

  async forPartner(partnerId: number): Promise<ProposalRow[]> {
    return this.list({ partnerId });
  }

  /** True while the partner is exiting: its users may read and do handover work only (core's RolesGuard enforces it). */
  async isReadOnlyPartner(partnerId: number): Promise<boolean> {
    const p = await this.partners.findById(partnerId);
    return p?.status === 'exiting';
  }

  async openCount(): Promise<number> {
    return this.db.getRepository(ExitProposal).count({ where: { status: In(['proposed', 'approved']) } });
  }

  private async lockProposal(m: EntityManager, id: number, expected: ExitProposal['status']): Promise<ExitProposal> {
    const p = await m.getRepository(ExitProposal).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!p) throw new NotFoundException('exit:errors.proposalNotFound');
    if (p.status !== expected) throw new RuleViolation('exit:errors.wrongStatus', undefined, { status: `exit:status.${p.status}`, expected: `exit:status.${expected}` });
    return p;
  }
}

function requireReason(reason: string): string {
  const clean = (reason ?? '').trim();
  if (!clean) throw new RuleViolation('exit:errors.reasonRequired', 'reason');
  return clean;
}

/** thrown inside the proposal's transaction so it rolls back */
class ProposalAlreadyMade extends Error {}
