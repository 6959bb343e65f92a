import Decimal from 'decimal.js';
import { Dec } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';

/** Y at or above this earns the full quality coefficient. */
export const FULL_COEFFICIENT_SCORE = 90;

/**
 * Quality coefficient P from the quarterly score Y (seed 日常考核): P = 1 if Y ≥ 90, otherwise P = Y / 90.
 *
 * Precision: P is returned UNROUNDED as a Decimal with 40 significant digits (the portal-wide `Dec`), e.g.
 * Y = 89.99 → 0.9998888888888888888888888888888888888889. It is only rounded for display/CSV (6 decimals).
 * Settlement never multiplies by a rounded P: it uses Y (stored with 2 decimals) directly in SQL as an exact
 * rational — pay = accrued × 0.9 + accrued × 0.1 × Y/90 = accrued × (810 + min(Y, 90)) / 900 — rounded once to
 * 0.01 (half away from zero), so the money result is exact for every Y.
 *
 * Y outside [0, 100] or not a number is a RuleViolation.
 */
export function qualityCoefficient(y: Decimal.Value): Decimal {
  let score: Decimal;
  try {
    score = new Dec(y);
  } catch {
    throw new RuleViolation('scoring:errors.yNotANumber', 'scoreY', { value: String(y) });
  }
  if (!score.isFinite()) throw new RuleViolation('scoring:errors.yNotANumber', 'scoreY', { value: String(y) });
  if (score.lessThan(0) || score.greaterThan(100)) {
    throw new RuleViolation('scoring:errors.yRange', 'scoreY', { value: score.toString() });
  }
  if (score.greaterThanOrEqualTo(FULL_COEFFICIENT_SCORE)) return new Dec(1);
  return score.dividedBy(FULL_COEFFICIENT_SCORE);
}

/** P for display and CSV export: 6 decimals, half away from zero. */
export function formatCoefficient(y: Decimal.Value): string {
  return qualityCoefficient(y).toFixed(6, Decimal.ROUND_HALF_UP);
}
