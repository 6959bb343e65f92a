import { RuleViolation } from '../../core/web/errors';

/** What a partner may ask for (seed 003: 差异化技术与服务支持, 资源合理倾斜). Texts: `support:kind.<kind>`. */
export const SUPPORT_KINDS = ['technical', 'solution', 'joint_visit', 'training', 'marketing'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];
export const isSupportKind = (v: unknown): v is SupportKind => typeof v === 'string' && (SUPPORT_KINDS as readonly string[]).includes(v);

/** open → answered (by staff) → closed (rated by the partner). */
export const SUPPORT_STATUSES = ['open', 'answered', 'closed'] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];
export const isSupportStatus = (v: unknown): v is SupportStatus => typeof v === 'string' && (SUPPORT_STATUSES as readonly string[]).includes(v);

/** Response time when a partner has no tier (yet): the slowest tier's usual limit. */
export const DEFAULT_RESPONSE_HOURS = 24;

/**
 * The answer is due `hours` after the request, counted on the clock (the 4/8/24 h tier policy is a round-the-clock
 * promise); the instant is shown in the business time zone, so a request at 22:00 with 4 h is due at 02:00 the next
 * business day.
 */
export function supportDueAt(createdAt: Date, hours: number): Date {
  if (!Number.isInteger(hours) || hours <= 0) throw new RuleViolation('support:errors.badHours', 'responseHours', { hours });
  return new Date(createdAt.getTime() + hours * 3_600_000);
}

/** Overdue = still unanswered after its due time. */
export function isOverdue(r: { status: string; dueAt: Date | string }, now: Date = new Date()): boolean {
  return r.status === 'open' && new Date(r.dueAt).getTime() < now.getTime();
}

/** Better tiers first (资源合理倾斜): A, B, C, then partners without a tier. */
export const TIER_PRIORITY: Record<string, number> = { A: 0, B: 1, C: 2 };
export const tierRank = (tier: string | null | undefined): number => TIER_PRIORITY[(tier ?? '').trim()] ?? 3;

/** The same rank in SQL, for the queue's ORDER BY (column given). */
export const tierRankSql = (col: string) => `(CASE ${col} WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'C' THEN 2 ELSE 3 END)`;

/**
 * The support queue's order: open requests first, then by tier (A before B before C), then by due time (earliest
 * first), then by id.
 */
export function compareQueue(a: QueueItem, b: QueueItem): number {
  return Number(a.status !== 'open') - Number(b.status !== 'open')
    || tierRank(a.tier) - tierRank(b.tier)
    || new Date(a.dueAt).getTime() - new Date(b.dueAt).getTime()
    || a.id - b.id;
}
export interface QueueItem { id: number; status: string; tier: string | null; dueAt: Date | string }

/** Staff answer an open request (an answered one may be answered again until the partner rated it). */
export function checkAnswer(status: string, answer: string): string {
  const text = (answer ?? '').trim();
  if (!text) throw new RuleViolation('support:errors.answerRequired', 'answer');
  if (status === 'closed') throw new RuleViolation('support:errors.alreadyClosed', 'answer');
  return text;
}

/** The partner rates an answered request 1–5 (a comment is required for 1 or 2), which closes it. */
export function checkRating(status: string, rating: number, comment: string | null | undefined): { rating: number; comment: string | null } {
  if (status === 'open') throw new RuleViolation('support:errors.notAnswered', 'rating');
  if (status === 'closed') throw new RuleViolation('support:errors.alreadyRated', 'rating');
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new RuleViolation('support:errors.badRating', 'rating');
  const c = (comment ?? '').trim();
  if (rating <= 2 && !c) throw new RuleViolation('support:errors.commentForLow', 'comment');
  return { rating, comment: c || null };
}
