import Decimal from 'decimal.js';
import { RuleViolation } from '../../core/web/errors';
import { addDays } from '../duties/date.util';

/**
 * Churn early warning (客户流失预警): what puts a customer at risk, when the retention task is due and how a
 * warning closes. Pure; the set-based evaluation of accruals lives in queries/.
 */
export const WARNING_CAUSES = ['stage', 'accrual_drop', 'complaint_overdue', 'dissatisfied'] as const;
export type WarningCause = (typeof WARNING_CAUSES)[number];
export const OUTCOMES = ['retained', 'lost'] as const;
export type WarningOutcome = (typeof OUTCOMES)[number];

export const isWarningCause = (v: unknown): v is WarningCause => WARNING_CAUSES.includes(v as WarningCause);
export const isOutcome = (v: unknown): v is WarningOutcome => OUTCOMES.includes(v as WarningOutcome);

/** Moving into decline (衰退期) or churn (流失期) puts a customer at risk; moving between the two is still at risk. */
export function stageAtRisk(to: string): boolean {
  return to === 'decline' || to === 'churn';
}

/**
 * Accruals down more than `thresholdPercent` quarter on quarter. A customer without accruals in the previous quarter is
 * not compared (nothing to fall from); a drop to nothing is a 100 % drop.
 */
export function accrualDropPercent(previous: string | number, current: string | number): Decimal | null {
  const prev = new Decimal(previous);
  if (prev.lte(0)) return null;
  return prev.minus(new Decimal(current)).div(prev).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export function accrualDropAtRisk(previous: string | number, current: string | number, thresholdPercent: string | number): boolean {
  // compared unrounded: 1000 → 699.99 is a 30.001 % drop, beyond 30 %
  const prev = new Decimal(previous);
  return prev.gt(0) && prev.minus(new Decimal(current)).times(100).gt(prev.times(new Decimal(thresholdPercent)));
}

/** Two dissatisfied return visits (over all of the customer's work orders) put the customer at risk. */
export const DISSATISFIED_VISITS_AT_RISK = 2;
export function dissatisfiedAtRisk(dissatisfiedVisits: number): boolean {
  return dissatisfiedVisits >= DISSATISFIED_VISITS_AT_RISK;
}

/** The retention task is due `taskDays` after the day the warning is raised (business date). */
export function taskDueOn(raisedOn: string, taskDays: number): string {
  return addDays(raisedOn, taskDays);
}

/** Closing needs an outcome; a lost customer needs the reason (流失原因). */
export function checkOutcome(outcome: unknown, reason: string | undefined): { outcome: WarningOutcome; reason: string | null } {
  if (!isOutcome(outcome)) throw new RuleViolation('retention:errors.outcome', 'outcome');
  const clean = (reason ?? '').trim();
  if (outcome === 'lost' && !clean) throw new RuleViolation('retention:errors.lostReason', 'reason');
  return { outcome, reason: clean || null };
}

export function checkDropPercent(v: unknown): string {
  const s = String(v ?? '').trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(s) || Number(s) <= 0 || Number(s) > 100) throw new RuleViolation('retention:errors.dropPercent', 'accrualDropPercent');
  return s;
}
