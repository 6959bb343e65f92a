import { formatDateTime } from '../../core/i18n/format.util';
import { RuleViolation } from '../../core/web/errors';

export const SHEET_STATUSES = ['draft', 'submitted', 'disputed', 'resolved', 'confirmed'] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number];
export type SheetAction = 'edit' | 'submit' | 'dispute' | 'resolve' | 'confirm' | 'revise';

/**
 * Sheet life cycle: draft → submitted → (disputed → resolved) → confirmed. Confirmed is final: a correction is a
 * new revision (a copy in draft) that the manager edits and confirms directly with a reason (no second dispute round).
 */
const ALLOWED: Record<SheetStatus, SheetAction[]> = {
  draft: ['edit', 'submit'],
  submitted: ['dispute', 'confirm'],
  disputed: ['resolve'],
  resolved: ['confirm'],
  confirmed: ['revise'],
};

export function canDo(sheet: { status: SheetStatus; revision: number }, action: SheetAction): boolean {
  if (action === 'confirm' && sheet.status === 'draft' && sheet.revision > 1) return true;
  return ALLOWED[sheet.status]?.includes(action) ?? false;
}

/** Refuses an action the sheet's status does not allow, saying why (a confirmed sheet: make a revision). */
export function assertSheetAction(sheet: { status: SheetStatus; revision: number }, action: SheetAction): void {
  if (canDo(sheet, action)) return;
  if (sheet.status === 'confirmed') throw new RuleViolation('scoring:errors.sheetFinal', 'status');
  throw new RuleViolation(`scoring:errors.cannot.${action}`, 'status', { status: `scoring:status.${sheet.status}` });
}

export const DEFAULT_DISPUTE_WINDOW_DAYS = 7;

export function disputeDeadline(submittedAt: Date, windowDays: number): Date {
  return new Date(submittedAt.getTime() + windowDays * 24 * 60 * 60 * 1000);
}

/** The window is open until the deadline (inclusive). */
export function isDisputeWindowOpen(deadline: Date | null, now: Date): boolean {
  return !!deadline && now.getTime() <= deadline.getTime();
}

export interface ConfirmCheck {
  status: SheetStatus;
  revision: number;
  scoreY: string | null;
  disputeDeadline: Date | null;
  undisputable: boolean;
}

/** Why a sheet cannot be confirmed: `scoring:blocker.<reason>` (a phrase) / `scoring:errors.cannotConfirm.<reason>` (a sentence). */
export interface ConfirmBlocker {
  reason: 'alreadyConfirmed' | 'openDispute' | 'notSubmitted' | 'incomplete' | 'windowOpen' | 'withinWindowReason';
  params?: Record<string, unknown>;
  /** the phrase's key (for a list of sheets not confirmed, or beside the confirm button) */
  message: string;
}

const blocker = (reason: ConfirmBlocker['reason'], params?: Record<string, unknown>): ConfirmBlocker =>
  ({ reason, message: `scoring:blocker.${reason}`, ...(params ? { params } : {}) });

/** The sentence to refuse a confirmation with. */
export function cannotConfirm(b: ConfirmBlocker): RuleViolation {
  return new RuleViolation(`scoring:errors.cannotConfirm.${b.reason}`, 'status', b.params);
}

/**
 * Why a sheet cannot be confirmed now, or null when it can. A submitted sheet waits for its dispute window unless
 * it is marked undisputable or the manager confirms within the window with a reason. Times are shown in the
 * business time zone.
 */
export function confirmBlocker(s: ConfirmCheck, now: Date, opts: { withinWindow?: boolean; reason?: string } = {}): ConfirmBlocker | null {
  if (!canDo(s, 'confirm')) {
    if (s.status === 'confirmed') return blocker('alreadyConfirmed');
    if (s.status === 'disputed') return blocker('openDispute');
    return blocker('notSubmitted', { status: `scoring:status.${s.status}` });
  }
  if (s.scoreY === null) return blocker('incomplete');
  if (s.status === 'submitted' && !s.undisputable && isDisputeWindowOpen(s.disputeDeadline, now)) {
    if (!opts.withinWindow) return blocker('windowOpen', { deadline: formatDateTime(s.disputeDeadline) });
    if (!opts.reason?.trim()) return blocker('withinWindowReason');
  }
  return null;
}
