import { RegionScopeService } from '../../core/auth/region-scope.service';
import { inRegionScope } from '../../core/auth/region-scope.util';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { isValidIsoDate, todayIso } from '../../core/period/period.util';
import { DEFAULT_LANGUAGE, t } from '../../core/i18n/i18n';
import { ListQuery, ListSpec } from '../../core/web/list-query';
import { escapeLike } from '../partners/partner-list.util';
import { RuleViolation } from '../../core/web/errors';
import { RegionsService } from '../regions/regions.service';
import { NotificationEvents } from '../notifications/notification-events.service';
import { creditCodeProblem, normalizeCreditCode } from '../partners/credit-code.util';
import { CooperationType, Partner, Tier, TIERS } from '../partners/partner.entity';
import { PartnerStatus } from '../partners/partner-status.util';
import { PartnersService } from '../partners/partners.service';
import { OnboardingSettingsService } from './onboarding-settings.service';
import { ApplicationReview, OnboardingApplication, ReviewLine } from './onboarding.entities';
import { scorecardTotal, suggestDecision } from './scorecard.util';

export interface ApplicationInput {
  name: string; creditCode: string; contactName: string; contactPhone: string; contactEmail: string; region: string;
  bankAccountName?: string; bankName?: string; bankAccountNo?: string; cooperationType: CooperationType;
  qualifications?: string; documentNames?: string[]; intendedRegions?: string | string[];
}

export interface ApplicationFilter {
  status?: PartnerStatus; type?: CooperationType; channel?: 'public' | 'manager' | 'import'; regionIn?: string[]; q?: string;
  /** a scoped channel manager's regions (#17, RegionScopeService): applicants of those regions only */
  scope?: string[] | null;
}

export interface ApplicationRow {
  id: number; channel: string; submittedAt: Date; intendedRegions: string; partnerId: number; code: string; name: string;
  cooperationType: CooperationType; region: string; status: PartnerStatus; total: string | null; decision: string | null; suggestedDecision: string | null;
}

/** The applications list: sortable columns, newest first by default; the id makes the order total. */
export const APPLICATION_LIST: ListSpec = {
  sortable: {
    submitted: 'a.submitted_at', code: 'p.code', name: 'lower(p.name)', type: 'p.cooperation_type', region: 'p.region',
    channel: 'a.channel', status: 'p.status', total: 'r.total', suggestion: 'r.suggested_decision',
  },
  defaultSort: 'submitted',
  defaultDir: 'desc',
  tieBreaker: 'a.id',
  pageSize: 50,
};

/** Region lists typed by hand: 遵义市, 贵阳市 / 遵义市、贵阳市 / one per line. */
export function splitRegions(text: string): string[] {
  return text.split(/[,，、;；\n]+/).map((x) => x.trim()).filter(Boolean);
}

/** A prospective partner applying without an account. */
export const PUBLIC_APPLICANT: Actor = { id: 0, username: 'applicant', displayName: '申请人（公开申请表）', role: 'partner', partnerId: null };

export const APPLICATION_STATUSES: PartnerStatus[] = ['applied', 'under_review', 'approved', 'rejected', 'active'];

/** Application → review scorecard → decision → activation. Status changes go through PartnersService.transition. */
@Injectable()
export class ApplicationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly settings: OnboardingSettingsService,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly notify: NotificationEvents,
    private readonly scope: RegionScopeService,
  ) {}

  /** A new application (public form or entered by a channel manager). Duplicate credit code or name → 409 on that field. */
  async apply(actor: Actor, input: ApplicationInput, channel: 'public' | 'manager'): Promise<{ application: OnboardingApplication; partner: Partner }> {
    const resolved = await this.checked(input);
    // a channel manager scoped to regions (#17) enters applicants of their regions only
    await this.scope.assertRegionAllowed(actor, resolved.region);
    return this.db.transaction(async (m) => {
      await this.assertNotDuplicate(resolved.creditCode, input.name, m);
      return this.create(actor, input, channel, resolved, m);
    });
  }

  /** The credit code's check character, and the regions as the reference list names (typed spellings such as Anshun or 遵义 mapped, unknown ones refused). */
  private async checked(input: ApplicationInput): Promise<{ region: string; creditCode: string; intendedRegions: string }> {
    const creditCode = normalizeCreditCode(input.creditCode);
    const problem = creditCodeProblem(creditCode);
    if (problem) throw new RuleViolation(problem.message, 'creditCode', problem.params);
    return { creditCode, region: await this.regions.resolve(input.region, 'region'), intendedRegions: await this.resolveRegions(input.intendedRegions) };
  }

  /**
   * The public form's answer: a reference, the same for a new application and for one that duplicates a registered
   * organisation (an anonymous visitor must not learn who is registered). A duplicate creates nothing; the staff
   * reviewer finds the attempt, with its reference and contact details, in the existing partner's audit trail.
   */
  async applyPublic(input: ApplicationInput): Promise<{ reference: string }> {
    const resolved = await this.checked(input);
    const { creditCode, region } = resolved;
    return this.db.transaction(async (m) => {
      const existing = await this.findDuplicate(creditCode, input.name, m);
      if (!existing) return { reference: (await this.create(PUBLIC_APPLICANT, input, 'public', resolved, m)).partner.code };
      const reference = await this.partners.nextPartnerCode(region, m);
      await this.audit.record(PUBLIC_APPLICANT, {
        action: 'application.duplicateAttempt', entityType: 'partner', entityId: existing.id, partnerId: existing.id,
        after: { reference, matchedBy: existing.credit_code === creditCode ? 'creditCode' : 'name', name: input.name.trim(), creditCode,
          contactName: input.contactName, contactPhone: input.contactPhone, contactEmail: input.contactEmail },
      }, m);
      return { reference };
    });
  }

  private async create(actor: Actor, input: ApplicationInput, channel: 'public' | 'manager',
    resolved: { region: string; creditCode: string; intendedRegions: string }, m: EntityManager): Promise<{ application: OnboardingApplication; partner: Partner }> {
    const { region, creditCode, intendedRegions } = resolved;
    const reason = t(DEFAULT_LANGUAGE, channel === 'public' ? 'onboarding:reason.appliedPublic' : 'onboarding:reason.appliedManager');
    const partner = await this.partners.createPartner(actor, { ...input, region, creditCode, name: input.name.trim() }, { status: 'applied', reason }, m);
    const repo = m.getRepository(OnboardingApplication);
    const application = await repo.save(repo.create({
      partnerId: partner.id, qualifications: input.qualifications?.trim() ?? '', documentNames: (input.documentNames ?? []).map((d) => d.trim()).filter(Boolean).slice(0, 50),
      intendedRegions, channel, enteredBy: actor.id > 0 ? actor.id : null,
    }));
    await this.notify.applicationReceived(application.id, channel, m);
    await this.audit.record(actor, { action: 'application.submit', entityType: 'application', entityId: application.id, partnerId: partner.id, after: { channel, code: partner.code, name: partner.name } }, m);
    return { application, partner };
  }

  private async findDuplicate(creditCode: string, name: string, m: EntityManager) {
    const rows: { id: number; code: string; status: string; credit_code: string; name: string }[] = await m.query(
      `SELECT id, code, status, credit_code, name FROM partner WHERE credit_code = $1 OR lower(name) = lower($2) ORDER BY (credit_code = $1) DESC LIMIT 1`, [creditCode, name.trim()]);
    return rows[0] ?? null;
  }

  /** Staff entering an application are told which registered organisation it duplicates (the public form is not). */
  private async assertNotDuplicate(creditCode: string, name: string, m: EntityManager): Promise<void> {
    const dup = await this.findDuplicate(creditCode, name, m);
    if (!dup) return;
    const params = { creditCode, name: dup.name, code: dup.code, status: `partners:status.${dup.status}` };
    if (dup.credit_code === creditCode) throw new ConflictException({ message: 'onboarding:errors.duplicateCreditCode', field: 'creditCode', params });
    throw new ConflictException({ message: 'onboarding:errors.duplicateName', field: 'name', params });
  }

  /** One page of applications (filters, declared sort, offset) and the number of matches; `withTotal: false` skips the count. */
  async list(filter: ApplicationFilter, list: Pick<ListQuery, 'orderBy' | 'size' | 'offset'>, opts: { withTotal?: boolean } = {}): Promise<{ rows: ApplicationRow[]; total: number }> {
    const conds: string[] = ['p.status = ANY($1::text[])'];
    const params: unknown[] = [filter.status ? [filter.status] : APPLICATION_STATUSES];
    const add = (sql: (n: string) => string, value: unknown) => { params.push(value); conds.push(sql(`$${params.length}`)); };
    if (filter.type) add((n) => `p.cooperation_type = ${n}`, filter.type);
    if (filter.channel) add((n) => `a.channel = ${n}`, filter.channel);
    if (filter.regionIn?.length) add((n) => `p.region = ANY(${n}::text[])`, filter.regionIn);
    if (filter.scope) add((n) => `p.region = ANY(${n}::text[])`, filter.scope);
    if (filter.q) {
      params.push(escapeLike(filter.q.toUpperCase()) + '%');
      const prefix = `$${params.length}`;
      params.push('%' + escapeLike(filter.q.toLowerCase()) + '%');
      conds.push(`(p.code LIKE ${prefix} OR p.credit_code LIKE ${prefix} OR lower(p.name) LIKE $${params.length})`);
    }
    const from = `FROM onboarding_application a JOIN partner p ON p.id = a.partner_id LEFT JOIN application_review r ON r.application_id = a.id WHERE ${conds.join(' AND ')}`;
    const rows: Promise<ApplicationRow[]> = this.db.query(
      `SELECT a.id, a.channel, a.submitted_at AS "submittedAt", a.intended_regions AS "intendedRegions", p.id AS "partnerId", p.code, p.name,
              p.cooperation_type AS "cooperationType", p.region, p.status, r.total, r.decision, r.suggested_decision AS "suggestedDecision"
         ${from} ORDER BY ${list.orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, list.size, list.offset]);
    const total: Promise<number> = opts.withTotal === false ? Promise.resolve(-1)
      : this.db.query(`SELECT count(*)::int AS n ${from}`, params).then((r: { n: number }[]) => r[0].n);
    const [r, n] = await Promise.all([rows, total]);
    return { rows: r, total: n };
  }

  /** Intended regions (a list from the form's multiple select, or text separated by commas) as list names, or a refusal. */
  private async resolveRegions(raw: string | string[] | undefined): Promise<string> {
    const parts = (Array.isArray(raw) ? raw : splitRegions(raw ?? '')).map((x) => String(x).trim()).filter(Boolean).slice(0, 50);
    if (!parts.length) return '';
    const match = await this.regions.matcher();
    const names: string[] = [];
    for (const part of parts) {
      const hit = match(part);
      if (!hit) throw new RuleViolation('regions:errors.unknown', 'intendedRegions', { value: part, list: (await this.regions.prefectureNames()).join('、') });
      if (!names.includes(hit)) names.push(hit);
    }
    return names.join('、');
  }

  /** One application; with `actor`, a channel manager scoped to regions gets 404 for applicants of other regions (#17). */
  async get(id: number, manager?: EntityManager, actor?: Actor) {
    const m = manager ?? this.db.manager;
    const application = await m.getRepository(OnboardingApplication).findOne({ where: { id } });
    if (!application) throw new NotFoundException({ message: 'onboarding:errors.applicationNotFound', params: { id } });
    const partner = await this.partners.getById(application.partnerId, m);
    if (actor && !inRegionScope(await this.scope.forActor(actor, m), partner.region)) throw new NotFoundException({ message: 'onboarding:errors.applicationNotFound', params: { id } });
    const review = await m.getRepository(ApplicationReview).findOne({ where: { applicationId: id } });
    return { application, partner, review };
  }

  /**
   * Saves the scorecard (draft until decided). The first save starts the review: applied → under_review.
   * Points are copied with the criteria so the scorecard stays readable after the configuration changes.
   */
  async saveReview(actor: Actor, id: number, input: { scores: Record<string, unknown>; comments?: string }): Promise<ApplicationReview> {
    return this.db.transaction(async (m) => {
      const { application, partner, review } = await this.get(id, m, actor);
      if (review?.decision) throw new RuleViolation('onboarding:errors.scorecardLocked', 'status', { decision: `onboarding:decision.${review.decision}` });
      if (partner.status === 'applied') await this.partners.transition(actor, partner.id, 'under_review', { reason: t(DEFAULT_LANGUAGE, 'onboarding:reason.reviewStarted') }, m);
      else if (partner.status !== 'under_review') throw new RuleViolation('onboarding:errors.notReviewable', 'status', { status: `partners:status.${partner.status}` });
      const { passMark } = await this.settings.settings(m);
      const criteria = review?.scores.length ? review.scores : (await this.settings.criteria({ activeOnly: true }, m)).map((c) => ({ id: c.id, name: c.name, weight: c.weight, maxPoints: c.maxPoints, points: null }));
      const lines: ReviewLine[] = criteria.map((c) => ({ ...c, points: parsePoints(input.scores?.[String(c.id)] ?? input.scores?.[`c${c.id}`], c.name, c.maxPoints) }));
      const complete = lines.every((l) => l.points !== null);
      const total = complete ? scorecardTotal(lines.map((l) => ({ ...l, points: l.points as number }))) : null;
      const values = {
        scores: lines, comments: (input.comments ?? '').trim().slice(0, 5000), total, passMark,
        suggestedDecision: total === null ? null : suggestDecision(total, passMark), reviewerUserId: actor.id > 0 ? actor.id : null, updatedAt: new Date(),
      };
      const repo = m.getRepository(ApplicationReview);
      const saved = review ? { ...review, ...values } : repo.create({ applicationId: application.id, partnerId: partner.id, ...values });
      await repo.save(saved);
      await this.audit.record(actor, { action: 'application.review', entityType: 'application', entityId: id, partnerId: partner.id, before: review ? { total: review.total } : null, after: { total, suggested: values.suggestedDecision } }, m);
      return saved as ApplicationReview;
    });
  }

  /** Approve (tier set, certification issued) or reject; both need a reason and a complete scorecard. */
  async decide(actor: Actor, id: number, input: { decision: 'approved' | 'rejected'; reason: string; tier?: Tier | null }): Promise<Partner> {
    if (!['approved', 'rejected'].includes(input.decision)) throw new RuleViolation('onboarding:validation.decision', 'decision');
    if (!input.reason?.trim()) throw new RuleViolation(input.decision === 'approved' ? 'onboarding:errors.reasonToApprove' : 'onboarding:errors.reasonToReject', 'reason');
    if (input.decision === 'approved' && !TIERS.includes(input.tier as Tier)) throw new RuleViolation('onboarding:errors.chooseTier', 'tier');
    return this.db.transaction(async (m) => {
      const { partner, review } = await this.get(id, m, actor);
      if (!review || review.total === null) throw new RuleViolation('onboarding:errors.scoreFirst', 'scores');
      if (review.decision) throw new RuleViolation('onboarding:errors.alreadyDecided', 'status', { decision: `onboarding:decision.${review.decision}` });
      const reason = input.reason.trim();
      await this.partners.transition(actor, partner.id, input.decision, { reason }, m);
      await m.getRepository(ApplicationReview).update({ id: review.id }, { decision: input.decision, reason, decidedAt: new Date(), reviewerUserId: actor.id > 0 ? actor.id : null, updatedAt: new Date() });
      if (input.decision === 'approved') {
        await this.partners.setTier(actor, partner.id, input.tier as Tier, { source: 'approval', reason }, m);
        await this.partners.issueCertification(actor, partner.id, m);
      }
      await this.notify.applicationDecided(id, input.decision, reason, m);
      await this.audit.record(actor, { action: `application.${input.decision}`, entityType: 'application', entityId: id, partnerId: partner.id, after: { decision: input.decision, total: review.total, suggested: review.suggestedDecision, tier: input.tier ?? null }, reason }, m);
      return this.partners.getById(partner.id, m);
    });
  }

  /** approved → active once the contract is signed (the date may not be in the future). */
  async activate(actor: Actor, id: number, contractSignedOn: string): Promise<Partner> {
    if (!isValidIsoDate(contractSignedOn)) throw new RuleViolation('onboarding:validation.contractSignedOn', 'contractSignedOn');
    if (contractSignedOn > todayIso()) throw new RuleViolation('onboarding:errors.contractInFuture', 'contractSignedOn');
    return this.db.transaction(async (m) => {
      const { partner } = await this.get(id, m, actor);
      if (partner.status !== 'approved') throw new RuleViolation('onboarding:errors.onlyApprovedActivate', 'status', { status: `partners:status.${partner.status}` });
      await this.partners.setContractSignedOn(actor, partner.id, contractSignedOn, m);
      await this.partners.transition(actor, partner.id, 'active', { contractSignedOn, reason: t(DEFAULT_LANGUAGE, 'onboarding:reason.contractSigned', { date: contractSignedOn }) }, m);
      return this.partners.getById(partner.id, m);
    });
  }
}

function parsePoints(raw: unknown, name: string, max: number): number | null {
  if (raw === undefined || raw === null || String(raw).trim() === '') return null;
  const n = Number(String(raw).trim());
  if (!Number.isFinite(n) || n < 0 || n > max) throw new RuleViolation('onboarding:errors.points', 'scores', { name, max });
  return n;
}
