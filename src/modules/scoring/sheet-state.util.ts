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

const WHY: Partial<Record<SheetAction, string>> = {
  edit: 'only a draft sheet can be edited',
  submit: 'only a draft sheet can be submitted',
  dispute: 'only a submitted sheet can be disputed',
  resolve: 'there is no open dispute',
  confirm: 'only a submitted or resolved sheet can be confirmed',
  revise: 'only a confirmed sheet can be revised',
};

export function canDo(sheet: { status: SheetStatus; revision: number }, action: SheetAction): boolean {
  if (action === 'confirm' && sheet.status === 'draft' && sheet.revision > 1) return true;
  return ALLOWED[sheet.status]?.includes(action) ?? false;
}

export function assertSheetAction(sheet: { status: SheetStatus; revision: number }, action: SheetAction): void {
  if (canDo(sheet, action)) return;
  const final = sheet.status === 'confirmed' ? ' A confirmed sheet is final: create a new revision to correct it.' : '';
  throw new RuleViolation(`Cannot ${action} this sheet: it is ${sheet.status}; ${WHY[action]}.${final}`, 'status');
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

/**
 * Why a sheet cannot be confirmed now, or null when it can. A submitted sheet waits for its dispute window unless
 * it is marked undisputable or the manager confirms within the window with a reason.
 */
export function confirmBlocker(s: ConfirmCheck, now: Date, opts: { withinWindow?: boolean; reason?: string } = {}): string | null {
  if (!canDo(s, 'confirm')) {
    if (s.status === 'confirmed') return 'already confirmed';
    if (s.status === 'disputed') return 'an open dispute must be resolved first';
    return `it is ${s.status}; submit it first`;
  }
  if (s.scoreY === null) return 'not every indicator has a score';
  if (s.status === 'submitted' && !s.undisputable && isDisputeWindowOpen(s.disputeDeadline, now)) {
    if (!opts.withinWindow) return `the dispute window is open until ${s.disputeDeadline!.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    if (!opts.reason?.trim()) return 'confirming within the dispute window needs a reason';
  }
  return null;
}
