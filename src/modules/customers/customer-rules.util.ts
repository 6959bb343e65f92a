import { isValidIsoDate } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';

export const CUSTOMER_STAGES = ['acquisition', 'development', 'maturity', 'decline', 'churn'] as const;
export type CustomerStage = (typeof CUSTOMER_STAGES)[number];
export const CUSTOMER_CLASSES = ['A', 'B', 'C'] as const;
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];

export const isStage = (v: unknown): v is CustomerStage => CUSTOMER_STAGES.includes(v as CustomerStage);
export const isCustomerClass = (v: unknown): v is CustomerClass => CUSTOMER_CLASSES.includes(v as CustomerClass);

/** Who a customer is handed to: exactly one of a partner or a channel manager. */
export interface AssignmentTarget { partnerId?: number | null; managerUserId?: number | null }

export interface OpenAssignment { partnerId: number | null; managerUserId: number | null; validFrom: string }

/**
 * The rule for a reassignment on `effectiveOn` (half-open ranges): the current range [from, ∞) becomes
 * [from, effectiveOn) and the new one starts at effectiveOn — no gap, no overlap. The new range must not be empty.
 */
export function checkReassignment(current: OpenAssignment | null, to: AssignmentTarget, effectiveOn: string, reason: string): void {
  const hasPartner = to.partnerId !== undefined && to.partnerId !== null;
  const hasManager = to.managerUserId !== undefined && to.managerUserId !== null;
  if (hasPartner === hasManager) throw new RuleViolation('Choose either a partner or a channel manager to hold the customer.', 'partnerId');
  if (!isValidIsoDate(effectiveOn)) throw new RuleViolation(`"${effectiveOn}" is not a date; write it like 2026-07-01`, 'effectiveOn');
  if (!reason?.trim()) throw new RuleViolation('A reason is required for a reassignment.', 'reason');
  if (!current) return;
  if (effectiveOn <= current.validFrom) {
    throw new RuleViolation(`The new assignment must start after the current one (which started ${current.validFrom}).`, 'effectiveOn');
  }
  const same = hasPartner ? current.partnerId === to.partnerId : current.managerUserId === to.managerUserId;
  if (same) throw new RuleViolation('The customer is already held by that holder.', hasPartner ? 'partnerId' : 'managerUserId');
}

/** A stage change needs a different stage, a date not before the last change and a reason. */
export function checkStageChange(from: CustomerStage, to: string, effectiveOn: string, lastEffectiveOn: string | null, today: string, reason: string): CustomerStage {
  if (!isStage(to)) throw new RuleViolation(`"${to}" is not a stage; use one of ${CUSTOMER_STAGES.join(', ')}`, 'stage');
  if (to === from) throw new RuleViolation(`The customer is already in the ${to} stage.`, 'stage');
  if (!isValidIsoDate(effectiveOn)) throw new RuleViolation(`"${effectiveOn}" is not a date; write it like 2026-07-01`, 'effectiveOn');
  if (effectiveOn > today) throw new RuleViolation('A stage change cannot take effect in the future.', 'effectiveOn');
  if (lastEffectiveOn && effectiveOn < lastEffectiveOn) {
    throw new RuleViolation(`The stage change must not be dated before the previous one (${lastEffectiveOn}).`, 'effectiveOn');
  }
  if (!reason?.trim()) throw new RuleViolation('A reason is required for a stage change.', 'reason');
  return to;
}
