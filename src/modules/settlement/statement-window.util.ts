import { todayIso } from '../../core/period/period.util';

/** What a partner may still do with one statement line (#16): confirm it (对账确认) or raise an inquiry. */
export interface StatementActions {
  canInquire: boolean;
  canConfirm: boolean;
  /** last business date of the window (ISO), null while the batch is a draft */
  until: string | null;
  /** why nothing more is possible: a catalogue key, or null */
  closedBecause: string | null;
}

/** The last business date on which the partner may confirm or inquire: the approval's business date + days. */
export function inquiryDeadline(approvedAt: Date | string, days: number): string {
  const [y, m, d] = todayIso(new Date(approvedAt)).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * A draft may be questioned but not confirmed (it is not final); an approved statement — also after export or
 * payment — may be confirmed or questioned until the window ends; a confirmed statement takes no new inquiry.
 */
export function statementActions(
  line: { status: string; approvedAt: Date | string | null; confirmedAt: Date | string | null }, days: number, now: Date = new Date(),
): StatementActions {
  if (line.status === 'cancelled') return { canInquire: false, canConfirm: false, until: null, closedBecause: 'settlement:window.cancelled' };
  if (line.status === 'draft' || !line.approvedAt) return { canInquire: true, canConfirm: false, until: null, closedBecause: null };
  const until = inquiryDeadline(line.approvedAt, days);
  if (line.confirmedAt) return { canInquire: false, canConfirm: false, until, closedBecause: 'settlement:window.confirmed' };
  if (todayIso(now) > until) return { canInquire: false, canConfirm: false, until, closedBecause: 'settlement:window.closed' };
  return { canInquire: true, canConfirm: true, until, closedBecause: null };
}
