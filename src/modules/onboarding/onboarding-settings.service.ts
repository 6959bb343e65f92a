import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { PartnersService, TierPolicyView } from '../partners/partners.service';
import { ReviewCriterion } from './onboarding.entities';
import { assertValidCriteria, assertValidPassMark, CriterionDef } from './scorecard.util';
import { assertValidThresholds, TierThresholds } from './tier.util';

export interface OnboardingSettings { passMark: string; thresholds: TierThresholds }

/** Admin configuration of onboarding: scorecard criteria, pass mark, tier thresholds and the tier policy table. */
@Injectable()
export class OnboardingSettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly partners: PartnersService) {}

  async settings(manager?: EntityManager): Promise<OnboardingSettings> {
    const rows: { key: string; value: string }[] = await (manager ?? this.db.manager).query(`SELECT key, value FROM onboarding_setting`);
    const v = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    return { passMark: v.pass_mark ?? '70.00', thresholds: { a: v.tier_a_min ?? '90.00', b: v.tier_b_min ?? '75.00' } };
  }

  async criteria(opts: { activeOnly?: boolean } = {}, manager?: EntityManager): Promise<ReviewCriterion[]> {
    return (manager ?? this.db.manager).getRepository(ReviewCriterion).find({ where: opts.activeOnly ? { active: true } : {}, order: { sort: 'ASC', id: 'ASC' } });
  }

  async updateSettings(actor: Actor, input: { passMark: unknown; tierAMin: unknown; tierBMin: unknown }): Promise<OnboardingSettings> {
    const passMark = assertValidPassMark(input.passMark);
    const thresholds = assertValidThresholds({ a: input.tierAMin, b: input.tierBMin });
    return this.db.transaction(async (m) => {
      const before = await this.settings(m);
      for (const [key, value] of [['pass_mark', passMark], ['tier_a_min', thresholds.a], ['tier_b_min', thresholds.b]]) {
        await m.query(`INSERT INTO onboarding_setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, [key, value]);
      }
      const after = { passMark, thresholds };
      await this.audit.record(actor, { action: 'onboarding.settings', entityType: 'onboarding_setting', entityId: 'onboarding', before, after }, m);
      return after;
    });
  }

  /**
   * Replaces the criteria set: rows with an id are updated, rows without are added; criteria are never deleted
   * (deactivate them), reviews keep their own copy. Weights of the active criteria must add up to 100.
   */
  async replaceCriteria(actor: Actor, rows: (CriterionDef & { sort?: number })[]): Promise<ReviewCriterion[]> {
    return this.db.transaction(async (m) => {
      const existing = await this.criteria({}, m);
      const byId = new Map(existing.map((c) => [c.id, c]));
      const untouched = existing.filter((c) => !rows.some((r) => r.id === c.id));
      assertValidCriteria([...rows, ...untouched]);
      const repo = m.getRepository(ReviewCriterion);
      for (const [i, r] of rows.entries()) {
        const values = { name: r.name.trim(), weight: r.weight, maxPoints: r.maxPoints, active: r.active !== false, sort: r.sort ?? i + 1 };
        if (r.id && byId.has(r.id)) await repo.update({ id: r.id }, values);
        else await repo.insert(values);
      }
      const after = await this.criteria({}, m);
      await this.audit.record(actor, { action: 'onboarding.criteria', entityType: 'review_criterion', entityId: 'all', before: existing, after }, m);
      return after;
    });
  }

  async updateTierPolicies(actor: Actor, rows: TierPolicyView[]): Promise<TierPolicyView[]> {
    await this.db.transaction((m) => this.partners.updateTierPolicies(actor, rows, m));
    return this.partners.tierPolicies();
  }
}
