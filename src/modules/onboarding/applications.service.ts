import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { isValidIsoDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
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
  qualifications?: string; documentNames?: string[]; intendedRegions?: string;
}

export const APPLICATION_STATUSES: PartnerStatus[] = ['applied', 'under_review', 'approved', 'rejected', 'active'];

/** Application → review scorecard → decision → activation. Status changes go through PartnersService.transition. */
@Injectable()
export class ApplicationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly settings: OnboardingSettingsService,
    private readonly audit: AuditService,
  ) {}

  /** A new application (public form or entered by a channel manager). Duplicate credit code or name → 409 on that field. */
  async apply(actor: Actor, input: ApplicationInput, channel: 'public' | 'manager'): Promise<{ application: OnboardingApplication; partner: Partner }> {
    const creditCode = normalizeCreditCode(input.creditCode);
    const problem = creditCodeProblem(creditCode);
    if (problem) throw new RuleViolation(`Unified social credit code: ${problem}`, 'creditCode');
    return this.db.transaction(async (m) => {
      await this.assertNotDuplicate(creditCode, input.name, m);
      const partner = await this.partners.createPartner(actor, { ...input, creditCode, name: input.name.trim() }, { status: 'applied', reason: channel === 'public' ? 'application via the public form' : 'application entered by a channel manager' }, m);
      const repo = m.getRepository(OnboardingApplication);
      const application = await repo.save(repo.create({
        partnerId: partner.id, qualifications: input.qualifications?.trim() ?? '', documentNames: (input.documentNames ?? []).map((d) => d.trim()).filter(Boolean).slice(0, 50),
        intendedRegions: input.intendedRegions?.trim() ?? '', channel, enteredBy: actor.id > 0 ? actor.id : null,
      }));
      await this.audit.record(actor, { action: 'application.submit', entityType: 'application', entityId: application.id, partnerId: partner.id, after: { channel, code: partner.code, name: partner.name } }, m);
      return { application, partner };
    });
  }

  private async assertNotDuplicate(creditCode: string, name: string, m: EntityManager): Promise<void> {
    const rows: { code: string; status: string; credit_code: string; name: string }[] = await m.query(
      `SELECT code, status, credit_code, name FROM partner WHERE credit_code = $1 OR lower(name) = lower($2) LIMIT 2`, [creditCode, name.trim()]);
    const byCode = rows.find((r) => r.credit_code === creditCode);
    if (byCode) throw new ConflictException({ message: `An organisation with credit code ${creditCode} is already registered (${byCode.code}, ${byCode.status.replace('_', ' ')}).`, field: 'creditCode' });
    if (rows.length) throw new ConflictException({ message: `An organisation named "${rows[0].name}" is already registered (${rows[0].code}, ${rows[0].status.replace('_', ' ')}).`, field: 'name' });
  }

  async list(status?: PartnerStatus) {
    const statuses = status ? [status] : APPLICATION_STATUSES;
    return this.db.query(
      `SELECT a.id, a.channel, a.submitted_at AS "submittedAt", a.intended_regions AS "intendedRegions", p.id AS "partnerId", p.code, p.name,
              p.cooperation_type AS "cooperationType", p.region, p.status, r.total, r.decision, r.suggested_decision AS "suggestedDecision"
         FROM onboarding_application a JOIN partner p ON p.id = a.partner_id LEFT JOIN application_review r ON r.application_id = a.id
        WHERE p.status = ANY($1::text[]) ORDER BY a.submitted_at DESC, a.id DESC LIMIT 500`, [statuses]);
  }

  async get(id: number, manager?: EntityManager) {
    const m = manager ?? this.db.manager;
    const application = await m.getRepository(OnboardingApplication).findOne({ where: { id } });
    if (!application) throw new NotFoundException(`application ${id} not found`);
    const partner = await this.partners.getById(application.partnerId, m);
    const review = await m.getRepository(ApplicationReview).findOne({ where: { applicationId: id } });
    return { application, partner, review };
  }

  /**
   * Saves the scorecard (draft until decided). The first save starts the review: applied → under_review.
   * Points are copied with the criteria so the scorecard stays readable after the configuration changes.
   */
  async saveReview(actor: Actor, id: number, input: { scores: Record<string, unknown>; comments?: string }): Promise<ApplicationReview> {
    return this.db.transaction(async (m) => {
      const { application, partner, review } = await this.get(id, m);
      if (review?.decision) throw new RuleViolation(`This application was already ${review.decision}; its scorecard can no longer change.`, 'status');
      if (partner.status === 'applied') await this.partners.transition(actor, partner.id, 'under_review', { reason: 'review started' }, m);
      else if (partner.status !== 'under_review') throw new RuleViolation(`The partner is ${partner.status}; only applications can be reviewed.`, 'status');
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
    if (!['approved', 'rejected'].includes(input.decision)) throw new RuleViolation('decision must be approved or rejected', 'decision');
    if (!input.reason?.trim()) throw new RuleViolation(`A reason is required to ${input.decision === 'approved' ? 'approve' : 'reject'} an application.`, 'reason');
    if (input.decision === 'approved' && !TIERS.includes(input.tier as Tier)) throw new RuleViolation('Choose the tier (A, B or C) the partner starts in.', 'tier');
    return this.db.transaction(async (m) => {
      const { partner, review } = await this.get(id, m);
      if (!review || review.total === null) throw new RuleViolation('Score every criterion of the scorecard before deciding.', 'scores');
      if (review.decision) throw new RuleViolation(`This application was already ${review.decision}.`, 'status');
      const reason = input.reason.trim();
      await this.partners.transition(actor, partner.id, input.decision, { reason }, m);
      await m.getRepository(ApplicationReview).update({ id: review.id }, { decision: input.decision, reason, decidedAt: new Date(), reviewerUserId: actor.id > 0 ? actor.id : null, updatedAt: new Date() });
      if (input.decision === 'approved') {
        await this.partners.setTier(actor, partner.id, input.tier as Tier, { source: 'approval', reason }, m);
        await this.partners.issueCertification(actor, partner.id, m);
      }
      await this.audit.record(actor, { action: `application.${input.decision}`, entityType: 'application', entityId: id, partnerId: partner.id, after: { decision: input.decision, total: review.total, suggested: review.suggestedDecision, tier: input.tier ?? null }, reason }, m);
      return this.partners.getById(partner.id, m);
    });
  }

  /** approved → active once the contract is signed (the date may not be in the future). */
  async activate(actor: Actor, id: number, contractSignedOn: string): Promise<Partner> {
    if (!isValidIsoDate(contractSignedOn)) throw new RuleViolation('contract signed date must be a date like 2026-11-25', 'contractSignedOn');
    if (contractSignedOn > todayIso()) throw new RuleViolation('The partner can be activated on or after the contract signed date, not before.', 'contractSignedOn');
    return this.db.transaction(async (m) => {
      const { partner } = await this.get(id, m);
      if (partner.status !== 'approved') throw new RuleViolation(`Only an approved partner can be activated (it is ${partner.status}).`, 'status');
      await this.partners.setContractSignedOn(actor, partner.id, contractSignedOn, m);
      await this.partners.transition(actor, partner.id, 'active', { contractSignedOn, reason: `contract signed on ${contractSignedOn}` }, m);
      return this.partners.getById(partner.id, m);
    });
  }
}

function parsePoints(raw: unknown, name: string, max: number): number | null {
  if (raw === undefined || raw === null || String(raw).trim() === '') return null;
  const n = Number(String(raw).trim());
  if (!Number.isFinite(n) || n < 0 || n > max) throw new RuleViolation(`points for "${name}" must be between 0 and ${max}`, 'scores');
  return n;
}
