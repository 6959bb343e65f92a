import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { DEFAULT_LANGUAGE, t } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { Tier, TIERS } from '../partners/partner.entity';
import { PartnersService } from '../partners/partners.service';
import { OnboardingSettingsService } from './onboarding-settings.service';
import { TierProposalRow } from './onboarding.entities';
import { TierScoreSource } from './tier-score-source';
import { proposeTier, TIER_QUARTERS } from './tier.util';

export interface ProposalRun { examined: number; proposed: number; unchanged: number; withoutScores: number }

/** Tier re-evaluation: proposals from the last four confirmed quarters; a manager accepts or overrides with a reason. */
@Injectable()
export class TierReviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly settings: OnboardingSettingsService,
    private readonly audit: AuditService,
    private readonly source: TierScoreSource,
  ) {}

  /**
   * Proposes a tier for every active or suspended partner whose average suggests a different tier. A newer
   * proposal replaces a pending one (marked superseded). `source` can be swapped (tests, what-if runs).
   */
  async propose(actor: Actor, opts: { source?: TierScoreSource; onProgress?: (done: number, total: number) => void } = {}): Promise<ProposalRun> {
    const source = opts.source ?? this.source;
    const { thresholds } = await this.settings.settings();
    const partners = await this.partners.listByStatus(['active', 'suspended']);
    const run: ProposalRun = { examined: partners.length, proposed: 0, unchanged: 0, withoutScores: 0 };
    for (const [i, p] of partners.entries()) {
      const scores = await source.lastConfirmedScores(p.id, TIER_QUARTERS);
      const proposal = proposeTier(scores.map((s) => s.scoreY), thresholds);
      if (!proposal) run.withoutScores++;
      else if (proposal.tier === p.tier) run.unchanged++;
      else {
        await this.db.transaction(async (m) => {
          await m.getRepository(TierProposalRow).update({ partnerId: p.id, status: 'pending' }, { status: 'superseded' });
          const saved = await m.getRepository(TierProposalRow).save(m.getRepository(TierProposalRow).create({
            partnerId: p.id, currentTier: p.tier, proposedTier: proposal.tier, averageScore: proposal.average, scores: scores.slice(0, TIER_QUARTERS), status: 'pending',
          }));
          await this.audit.record(actor, { action: 'tier-proposal.create', entityType: 'tier_proposal', entityId: saved.id, partnerId: p.id, after: { from: p.tier, proposed: proposal.tier, average: proposal.average, quarters: proposal.quarters } }, m);
        });
        run.proposed++;
      }
      opts.onProgress?.(i + 1, partners.length);
    }
    return run;
  }

  async pending() {
    return this.db.query(
      `SELECT t.id, t.partner_id AS "partnerId", p.code, p.name, p.status, t.current_tier AS "currentTier", t.proposed_tier AS "proposedTier",
              t.average_score AS "averageScore", t.scores, t.proposed_at AS "proposedAt"
         FROM tier_proposal t JOIN partner p ON p.id = t.partner_id WHERE t.status = 'pending' ORDER BY p.code`);
  }

  async decided(limit = 50) {
    return this.db.query(
      `SELECT t.id, p.code, p.name, t.current_tier AS "currentTier", t.proposed_tier AS "proposedTier", t.decided_tier AS "decidedTier",
              t.status, t.reason, t.decided_at AS "decidedAt", u.username AS "decidedBy"
         FROM tier_proposal t JOIN partner p ON p.id = t.partner_id LEFT JOIN user_account u ON u.id = t.decided_by
        WHERE t.status IN ('accepted','overridden') ORDER BY t.decided_at DESC LIMIT $1`, [limit]);
  }

  /** Accepting sets the proposed tier. */
  async accept(actor: Actor, proposalId: number, reason?: string): Promise<TierProposalRow> {
    return this.decide(actor, proposalId, null, reason?.trim() || t(DEFAULT_LANGUAGE, 'onboarding:reason.proposalAccepted'));
  }

  /** Overriding keeps or sets another tier than proposed; the reason is required. */
  async override(actor: Actor, proposalId: number, tier: Tier, reason: string): Promise<TierProposalRow> {
    if (!TIERS.includes(tier)) throw new RuleViolation('onboarding:validation.tier', 'tier');
    if (!reason?.trim()) throw new RuleViolation('onboarding:validation.overrideReason', 'reason');
    return this.decide(actor, proposalId, tier, reason.trim());
  }

  private async decide(actor: Actor, proposalId: number, overrideTier: Tier | null, reason: string): Promise<TierProposalRow> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(TierProposalRow);
      const row = await repo.findOne({ where: { id: proposalId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundException({ message: 'onboarding:errors.proposalNotFound', params: { id: proposalId } });
      if (row.status !== 'pending') throw new RuleViolation('onboarding:errors.proposalDecided', 'status', { status: `onboarding:proposalStatus.${row.status}` });
      const partner = await this.partners.getById(row.partnerId, m);
      const overridden = overrideTier !== null && overrideTier !== row.proposedTier;
      const tier = overrideTier ?? row.proposedTier;
      if (tier !== partner.tier) await this.partners.setTier(actor, partner.id, tier, { source: overridden ? 'overridden' : 'accepted', reason, proposedTier: row.proposedTier }, m);
      const status = overridden ? 'overridden' : 'accepted';
      await repo.update({ id: row.id }, { status, decidedTier: tier, reason, decidedAt: new Date(), decidedBy: actor.id > 0 ? actor.id : null });
      await this.audit.record(actor, { action: `tier-proposal.${status}`, entityType: 'tier_proposal', entityId: row.id, partnerId: partner.id, before: { tier: partner.tier, proposed: row.proposedTier }, after: { tier }, reason }, m);
      return { ...row, status, decidedTier: tier, reason } as TierProposalRow;
    });
  }
}
