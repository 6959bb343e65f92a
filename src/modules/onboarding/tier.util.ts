import Decimal from 'decimal.js';
import { dec } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';
import { Tier } from '../partners/partner.entity';

/** Average score from which a partner is proposed for tier A or B (anything lower is C). */
export interface TierThresholds { a: string; b: string }
export const DEFAULT_TIER_THRESHOLDS: TierThresholds = { a: '90', b: '75' };
/** Tier proposals look at this many most recent confirmed quarters. */
export const TIER_QUARTERS = 4;

export function assertValidThresholds(t: { a: unknown; b: unknown }): TierThresholds {
  const ok = (v: unknown) => /^\d{1,3}(\.\d{1,2})?$/.test(String(v ?? '').trim()) && dec(String(v).trim()).lte(100);
  if (!ok(t.a) || !ok(t.b)) throw new RuleViolation('onboarding:errors.thresholdRange', 'thresholds');
  const a = dec(String(t.a).trim());
  const b = dec(String(t.b).trim());
  if (!a.gt(b)) throw new RuleViolation('onboarding:errors.thresholdOrder', 'thresholds');
  return { a: a.toFixed(2), b: b.toFixed(2) };
}

export interface TierProposal { tier: Tier; average: string; quarters: number }

/**
 * Proposes a tier from the last confirmed quarterly scores (newest first; only the first four count):
 * average ≥ a → A, ≥ b → B, else C. No scores → no proposal.
 */
export function proposeTier(scores: Decimal.Value[], thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS): TierProposal | null {
  const used = scores.slice(0, TIER_QUARTERS);
  if (!used.length) return null;
  const average = used.reduce<Decimal>((acc, s) => acc.plus(dec(s)), dec(0)).div(used.length);
  const tier: Tier = average.gte(dec(thresholds.a)) ? 'A' : average.gte(dec(thresholds.b)) ? 'B' : 'C';
  // compare on the full average, show it rounded
  return { tier, average: average.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2), quarters: used.length };
}
