import { RuleViolation } from '../../core/web/errors';

export const PARTNER_STATUSES = ['applied', 'under_review', 'approved', 'rejected', 'active', 'suspended', 'exiting', 'exited'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** The partner life cycle. Exit owns `exiting` and `exited`; onboarding owns the rest. */
const ALLOWED: Record<PartnerStatus, PartnerStatus[]> = {
  applied: ['under_review'],
  under_review: ['approved', 'rejected'],
  approved: ['active'],
  rejected: [],
  active: ['suspended', 'exiting'],
  suspended: ['active', 'exiting'],
  exiting: ['exited'],
  exited: [],
};

export interface TransitionFacts {
  /** approved -> active needs the contract signed date */
  contractSignedOn?: string | null;
  reason?: string | null;
}

export function allowedTransitions(from: PartnerStatus): readonly PartnerStatus[] {
  return ALLOWED[from] ?? [];
}

/** Throws a RuleViolation that says why, or returns the new status. */
export function assertPartnerTransition(from: PartnerStatus, to: PartnerStatus, facts: TransitionFacts = {}): PartnerStatus {
  const st = (x: string) => `partners:status.${x}`;
  if (!PARTNER_STATUSES.includes(to)) throw new RuleViolation('partners:errors.notAStatus', 'status', { value: to });
  if (!(ALLOWED[from] ?? []).includes(to)) {
    if (!ALLOWED[from]?.length) throw new RuleViolation('partners:errors.transitionFinal', 'status', { from: st(from), to: st(to) });
    throw new RuleViolation('partners:errors.transition', 'status', { from: st(from), to: st(to), options: ALLOWED[from].map(st) });
  }
  if (from === 'approved' && to === 'active' && !facts.contractSignedOn) {
    throw new RuleViolation('partners:errors.contractDateFirst', 'contractSignedOn');
  }
  if (['approved', 'rejected', 'suspended', 'exiting'].includes(to) && !facts.reason?.trim()) {
    throw new RuleViolation('partners:errors.reasonRequired', 'reason', { to: st(to) });
  }
  return to;
}

/** Statuses in which a partner may hold customers and earn commission. */
export const WORKING_STATUSES: readonly PartnerStatus[] = ['active', 'suspended', 'exiting'];
