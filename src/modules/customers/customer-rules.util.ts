import { isValidIsoDate } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';

export const CUSTOMER_STAGES = ['acquisition', 'development', 'maturity', 'decline', 'churn'] as const;
export type CustomerStage = (typeof CUSTOMER_STAGES)[number];
export const CUSTOMER_CLASSES = ['A', 'B', 'C'] as const;
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];

export const isStage = (v: unknown): v is CustomerStage => CUSTOMER_STAGES.includes(v as CustomerStage);
export const isCustomerClass = (v: unknown): v is CustomerClass => CUSTOMER_CLASSES.includes(v as CustomerClass);

/** The stages as catalogue keys (a message lists them in the reader's language). */
export const stageKeys = (): string[] => CUSTOMER_STAGES.map((s) => `customers:stage.${s}`);

/** The Chinese names of the stages, as an import file may write them (获取期 → acquisition). */
export const STAGE_NAMES_ZH: Record<CustomerStage, string> = { acquisition: '获取期', development: '发展期', maturity: '成熟期', decline: '衰退期', churn: '流失期' };

/** A stage as typed in a file or form: the code (any case) or its Chinese name (with or without 客户). */
export function stageOf(input: string | null | undefined): CustomerStage | null {
  const v = (input ?? '').trim();
  const lower = v.toLowerCase();
  if (isStage(lower)) return lower;
  const zh = v.replace(/^客户/, '');
  return (Object.entries(STAGE_NAMES_ZH).find(([, name]) => name === zh)?.[0] as CustomerStage | undefined) ?? null;
}

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
  if (hasPartner === hasManager) throw new RuleViolation('customers:errors.oneHolder', 'partnerId');
  if (!isValidIsoDate(effectiveOn)) throw new RuleViolation('customers:errors.badDate', 'effectiveOn', { value: effectiveOn });
  if (!reason?.trim()) throw new RuleViolation('customers:errors.reassignReason', 'reason');
  if (!current) return;
  if (effectiveOn <= current.validFrom) {
    throw new RuleViolation('customers:errors.startAfter', 'effectiveOn', { date: current.validFrom });
  }
  const same = hasPartner ? current.partnerId === to.partnerId : current.managerUserId === to.managerUserId;
  if (same) throw new RuleViolation('customers:errors.sameHolder', hasPartner ? 'partnerId' : 'managerUserId');
}

/** A stage change needs a different stage, a date not before the last change and a reason. */
export function checkStageChange(from: CustomerStage, to: string, effectiveOn: string, lastEffectiveOn: string | null, today: string, reason: string): CustomerStage {
  if (!isStage(to)) throw new RuleViolation('customers:errors.unknownStage', 'stage', { value: to, list: stageKeys() });
  if (to === from) throw new RuleViolation('customers:errors.sameStage', 'stage', { stage: `customers:stage.${to}` });
  if (!isValidIsoDate(effectiveOn)) throw new RuleViolation('customers:errors.badDate', 'effectiveOn', { value: effectiveOn });
  if (effectiveOn > today) throw new RuleViolation('customers:errors.futureStage', 'effectiveOn');
  if (lastEffectiveOn && effectiveOn < lastEffectiveOn) {
    throw new RuleViolation('customers:errors.beforePrevious', 'effectiveOn', { date: lastEffectiveOn });
  }
  if (!reason?.trim()) throw new RuleViolation('customers:errors.stageReason', 'reason');
  return to;
}
