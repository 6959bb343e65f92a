import { dec } from '../../core/money/money.util';

/** Four eyes on money (#16): small pure rules, the services apply them. */

/** A batch above the setting needs two approvals by two different people, otherwise one. */
export function approvalsRequired(totalPay: string, dualAbove: string): 1 | 2 {
  return dec(totalPay).gt(dualAbove) ? 2 : 1;
}

/**
 * Why this person may not approve now (a catalogue key), or null. Only a named person approves: never the system
 * actor (jobs, imports, scripts; #16). The maker is whoever ran or last recomputed the batch; nobody approves the
 * same computation twice.
 */
export function approvalRefusal(makerId: number | null, approverId: number | null, priorApproverIds: (number | null)[]): string | null {
  if (approverId === null) return 'settlement:errors.approverMustBeUser';
  if (approverId !== null && makerId !== null && approverId === makerId) return 'settlement:errors.makerCannotApprove';
  if (approverId !== null && priorApproverIds.includes(approverId)) return 'settlement:errors.alreadyApprovedByYou';
  return null;
}

/** A manual adjustment: 'tooLarge' above the bound, 'pending' above the approval threshold, else 'approved'. */
export function adjustmentGate(amount: string, approvalAbove: string, maxAmount: string): 'tooLarge' | 'pending' | 'approved' {
  const a = dec(amount).abs();
  if (a.gt(maxAmount)) return 'tooLarge';
  return a.gt(approvalAbove) ? 'pending' : 'approved';
}

/** Who may decide a pending item (adjustment, bank change): a real user other than its requester. */
export function deciderRefusal(requesterId: number | null, deciderId: number | null): string | null {
  if (deciderId === null) return 'settlement:errors.deciderMustBeUser';
  if (requesterId !== null && requesterId === deciderId) return 'settlement:errors.requesterCannotDecide';
  return null;
}

/** Flagged lines the approver has not ticked (ids as text: line ids are bigint). */
export function unacknowledged(flagged: { id: string }[], acknowledged: readonly (string | number)[]): string[] {
  const ticked = new Set(acknowledged.map(String));
  return flagged.map((f) => String(f.id)).filter((id) => !ticked.has(id));
}
