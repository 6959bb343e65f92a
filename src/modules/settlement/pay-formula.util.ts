import Decimal from 'decimal.js';
import { dec, round2 } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';
import { qualityCoefficient } from '../scoring/quality-coefficient.util';

/**
 * The settlement rule of the seed document (酬金评定), written once:
 *   actual pay = accrued × 90% + accrued × 10% × P,   P = 1 if Y ≥ 90, else Y / 90 (exact, never rounded).
 * Computed as round2(accrued × (810 + Y) / 900) so no intermediate value is rounded; each money result is
 * rounded once, half away from zero. Bump FORMULA_VERSION whenever the rule changes: every settlement line
 * snapshots the version it was computed with.
 *
 * The set-based SQL twin lives in queries/pay-formula.sql.ts and must give the same result (tested on 10,000
 * random partners).
 */
export const FORMULA_VERSION = '2026.1-90/10';

export interface PayInput {
  /** Σ accrual amounts of the partner in the batch (2 decimals, may be negative after reversals) */
  accrued: Decimal.Value;
  /** score Y of the confirmed score sheet ("89.99"), or null when finance overrides with P = 1 */
  scoreY: string | null;
  /** Σ adjustment lines applied in this batch (penalties negative); not scaled by P */
  adjustments: Decimal.Value;
}

export interface PayResult {
  basePay: string;
  qualityPay: string;
  totalFormula: string;
  adjustments: string;
  totalPay: string;
  /** negative remainder carried into the partner's next batch as an adjustment line; 0.00 when nothing is carried */
  carryForward: string;
}

const NINETY = dec(90);

export function assertScoreY(scoreY: string): Decimal {
  const y = dec(scoreY);
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(scoreY) || y.gt(100)) throw new RuleViolation('settlement:errors.badScoreY', 'scoreY', { value: scoreY });
  return y;
}

export function computePay(input: PayInput): PayResult {
  const accrued = dec(input.accrued);
  const adjustments = round2(input.adjustments);
  const y = input.scoreY === null ? null : assertScoreY(input.scoreY);
  const basePay = round2(accrued.times('0.9'));
  const totalFormula = y === null || y.gte(NINETY) ? round2(accrued) : round2(accrued.times(dec(810).plus(y)).div(900));
  const qualityPay = totalFormula.minus(basePay);
  const due = totalFormula.plus(adjustments);
  const negative = due.isNegative() && !due.isZero();
  return {
    basePay: basePay.toFixed(2),
    qualityPay: qualityPay.toFixed(2),
    totalFormula: totalFormula.toFixed(2),
    adjustments: adjustments.toFixed(2),
    totalPay: negative ? '0.00' : due.toFixed(2),
    carryForward: negative ? due.toFixed(2) : '0.00',
  };
}

/** P as stored on a line for display (12 decimals); the formula itself never uses a rounded P. */
export function displayCoefficient(scoreY: string | null): string {
  if (scoreY === null) return '1.000000000000';
  assertScoreY(scoreY);
  return dec(qualityCoefficient(scoreY)).toFixed(12);
}

/** The money withheld by quality on one line: what P = 1 would have paid minus what the formula pays. */
export function withheldByQuality(accrued: Decimal.Value, totalFormula: Decimal.Value): string {
  return round2(accrued).minus(dec(totalFormula)).toFixed(2);
}

/** The formula with the partner's numbers filled in, for statements. */
export function formulaText(accrued: string, scoreY: string | null, coefficientP: string, totalFormula: string): string {
  const p = (scoreY === null ? dec(coefficientP) : dec(qualityCoefficient(scoreY))).toFixed(6);
  const pText = scoreY === null ? `P = 1 (override)` : dec(scoreY).gte(NINETY) ? `P = 1 (Y = ${scoreY} ≥ 90)` : `P = Y/90 = ${scoreY}/90 ≈ ${p}`;
  return `${accrued} × 90% + ${accrued} × 10% × P = ${totalFormula}   where ${pText}`;
}
