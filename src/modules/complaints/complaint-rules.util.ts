import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';

/**
 * Complaint and fault work orders: due time, states, escalation and the return visit, as pure rules.
 * open → in_progress → resolved → visited (return visit done) → closed; a dissatisfied visit reopens (→ in_progress).
 * "Escalated" is a mark on an unfinished order (overdue, by the scheduled job, or by hand), not a state of its own,
 * so the order keeps its place in the flow while the manager is alerted.
 */
export const COMPLAINT_STATUSES = ['open', 'in_progress', 'resolved', 'visited', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_KINDS = ['complaint', 'fault'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];
export const COMPLAINT_CATEGORIES = ['network', 'billing', 'service', 'business', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const SATISFACTIONS = ['satisfied', 'fairly_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];
export type ComplaintAction = 'start' | 'resolve' | 'visit' | 'close' | 'escalate';

export const isComplaintStatus = (v: unknown): v is ComplaintStatus => COMPLAINT_STATUSES.includes(v as ComplaintStatus);
export const isSatisfaction = (v: unknown): v is Satisfaction => SATISFACTIONS.includes(v as Satisfaction);

/** The due time: received + the class's time limit in hours (clock hours; shown in the business time zone). */
export function dueAt(receivedAt: Date, limitHours: number): Date {
  if (!(limitHours > 0)) throw new Error(`time limit must be positive, got ${limitHours}`);
  return new Date(receivedAt.getTime() + limitHours * 3_600_000);
}

/** Which states an action moves from, and to. A visit's target depends on the satisfaction (see visitOutcome). */
const FROM: Record<Exclude<ComplaintAction, 'escalate'>, ComplaintStatus[]> = {
  start: ['open'],
  resolve: ['open', 'in_progress'],
  visit: ['resolved'],
  close: ['visited'],
};
const TO: Record<'start' | 'resolve' | 'close', ComplaintStatus> = { start: 'in_progress', resolve: 'resolved', close: 'closed' };

export function canAct(status: ComplaintStatus, action: ComplaintAction, escalatedAt: Date | null = null): boolean {
  if (action === 'escalate') return isUnfinished(status) && !escalatedAt;
  return FROM[action].includes(status);
}

/** The next state, or a refusal naming the current state (the page shows it beside the action). */
export function nextStatus(status: ComplaintStatus, action: 'start' | 'resolve' | 'close'): ComplaintStatus {
  if (!canAct(status, action)) throw new RuleViolation('complaints:errors.wrongState', 'status', { status: `complaints:status.${status}` });
  return TO[action];
}

/** A return visit: 不满意 reopens the order (back to in progress, to be resolved again); otherwise the visit is done. */
export function visitOutcome(status: ComplaintStatus, satisfaction: Satisfaction): ComplaintStatus {
  if (!canAct(status, 'visit')) throw new RuleViolation('complaints:errors.wrongState', 'status', { status: `complaints:status.${status}` });
  return satisfaction === 'dissatisfied' ? 'in_progress' : 'visited';
}

export const isUnfinished = (status: ComplaintStatus) => status === 'open' || status === 'in_progress';

/** Overdue: unfinished after its due time. Such an order is escalated by the scheduled job (once). */
export function isOverdue(o: { status: ComplaintStatus; dueAt: Date }, now: Date): boolean {
  return isUnfinished(o.status) && o.dueAt.getTime() < now.getTime();
}

export function shouldEscalate(o: { status: ComplaintStatus; dueAt: Date; escalatedAt: Date | null }, now: Date): boolean {
  return !o.escalatedAt && isOverdue(o, now);
}

/** Handled on time = first resolved no later than the due time (a later reopening does not change it). */
export function resolvedOnTime(o: { dueAt: Date; firstResolvedAt: Date | null }): boolean | null {
  return o.firstResolvedAt ? o.firstResolvedAt.getTime() <= o.dueAt.getTime() : null;
}

/**
 * The return visit is due by the end of the `days`-th day after the day of resolution (business time zone; the
 * process runs in it): resolved 2026-11-20 15:00 with 3 days → due 2026-11-23 23:59:59.999.
 */
export function visitDueAt(resolvedAt: Date, days: number): Date {
  const [y, m, d] = todayIso(resolvedAt).split('-').map(Number);
  return new Date(new Date(y, m - 1, d + days + 1, 0, 0, 0, 0).getTime() - 1);
}

export function visitOverdue(o: { status: ComplaintStatus; visitDueAt: Date | null }, now: Date): boolean {
  return o.status === 'resolved' && !!o.visitDueAt && o.visitDueAt.getTime() < now.getTime();
}

/** Timeliness rate in percent with two decimals (100 when nothing was due); below target when rate < target. */
export function timelinessRate(onTime: number, total: number): number {
  return total === 0 ? 100 : Math.round((onTime / total) * 10_000) / 100;
}

/** Text fields a resolution must carry (root cause and corrective action), trimmed; field errors otherwise. */
export function checkResolution(input: { rootCause?: string; correctiveAction?: string }): { rootCause: string; correctiveAction: string } {
  const rootCause = (input.rootCause ?? '').trim();
  const correctiveAction = (input.correctiveAction ?? '').trim();
  if (!rootCause) throw new RuleViolation('complaints:errors.rootCause', 'rootCause');
  if (!correctiveAction) throw new RuleViolation('complaints:errors.correctiveAction', 'correctiveAction');
  return { rootCause, correctiveAction };
}

/** "2026-08-01T09:30", "2026-08-01 09:30" (local, business zone) or with a zone; a bare date means 09:00 local. */
export function parseReceivedAt(text: string | null | undefined, now: Date): Date {
  const t = (text ?? '').trim();
  if (!t) return now;
  if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) throw new RuleViolation('complaints:errors.receivedAt', 'receivedAt');
  const d = new Date(t.length === 10 ? `${t}T09:00` : t.replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) throw new RuleViolation('complaints:errors.receivedAt', 'receivedAt');
  if (d.getTime() > now.getTime() + 5 * 60_000) throw new RuleViolation('complaints:errors.receivedFuture', 'receivedAt');
  return d;
}
