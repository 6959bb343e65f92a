import { formatDate, formatDateTime, formatYuan } from '../../core/i18n/format.util';
import { Role } from '../../core/auth/actor';
import { Language, tDeep } from '../../core/i18n/i18n';

/** Every kind of notification the portal sends. Texts: `notifications:kind.<kind>.title` / `.body`. */
export const NOTIFICATION_KINDS = [
  'application.received', 'application.approved', 'application.rejected', 'application.submitted',
  'violation.recorded', 'score.submitted', 'score.disputeResolved',
  'statement.ready', 'statement.paid', 'inquiry.answered', 'duties.overdue',
  'exit.proposed', 'exit.approved', 'handover.assigned', 'batch.awaitingApproval',
  'import.finished', 'import.failed',
  'support.requested', 'support.answered', 'support.overdue',
  'complaint.opened', 'complaint.escalated', 'complaint.visitDue', 'retention.warning',
  'invoice.uploaded', 'invoice.rejected', 'bankChange.requested', 'verification.notConfirmed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Money and deadline kinds: their email cannot be switched off. */
export const MANDATORY_EMAIL_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>([
  'violation.recorded', 'score.submitted', 'statement.ready', 'statement.paid', 'duties.overdue',
]);

/** Kinds sent to an applicant's address only (there is no user yet): not in anybody's inbox or preferences. */
export const APPLICANT_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>(['application.received', 'application.approved', 'application.rejected']);

/** The kinds a user may switch email off for, in the order of the settings page. */
export const OPTIONAL_EMAIL_KINDS = NOTIFICATION_KINDS.filter((k) => !MANDATORY_EMAIL_KINDS.has(k) && !APPLICANT_KINDS.has(k));

/** Who can receive each kind (the settings page offers a user only their own role's kinds). */
const P: Role[] = ['partner'];
const KIND_ROLES: Partial<Record<NotificationKind, Role[]>> = {
  'application.submitted': ['channel_manager'],
  'violation.recorded': P, 'score.submitted': P, 'score.disputeResolved': P, 'statement.ready': P, 'statement.paid': P, 'inquiry.answered': P,
  'duties.overdue': ['partner', 'channel_manager'],
  'exit.proposed': ['partner', 'channel_manager', 'admin'], 'exit.approved': ['partner', 'channel_manager'],
  'handover.assigned': ['partner', 'channel_manager'],
  'batch.awaitingApproval': ['finance'],
  'complaint.opened': P, 'complaint.escalated': ['partner', 'channel_manager', 'admin'], 'complaint.visitDue': ['partner', 'channel_manager'],
  'retention.warning': ['partner', 'channel_manager'],
  'invoice.uploaded': ['finance'], 'invoice.rejected': P, 'bankChange.requested': ['finance'], 'verification.notConfirmed': P,
};
export const kindsForRole = (kinds: readonly NotificationKind[], role: Role): NotificationKind[] =>
  kinds.filter((k) => !APPLICANT_KINDS.has(k) && (KIND_ROLES[k] ?? ['admin', 'channel_manager', 'finance', 'partner']).includes(role));

export const isNotificationKind = (k: unknown): k is NotificationKind => typeof k === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(k);

/** Whether email goes out for this kind, given the kinds the user switched off. */
export function emailWanted(kind: NotificationKind, switchedOff: ReadonlySet<string>): boolean {
  return MANDATORY_EMAIL_KINDS.has(kind) || !switchedOff.has(kind);
}

/** Param names whose values are dates or amounts: formatted for the reader when the text is rendered. */
const DATE_PARAMS = new Set(['deadline', 'windowEnd', 'earliestDue', 'effectiveOn', 'paidOn']);
const MONEY_PARAMS = new Set(['amount']);
/** Params whose values are instants: date and time in the business time zone. */
const DATETIME_PARAMS = new Set(['dueAt', 'visitDueAt']);

export function formatParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k,
    v === null || v === undefined ? '' : DATETIME_PARAMS.has(k) ? formatDateTime(v) : DATE_PARAMS.has(k) ? formatDate(v) : MONEY_PARAMS.has(k) ? formatYuan(v) : v]));
}

/** The title and body of a notification in a reader's language (rendered when read, so a language switch re-renders). */
export function renderNotification(lang: Language, kind: string, params: Record<string, unknown>): { title: string; body: string } {
  const p = formatParams(params);
  return { title: tDeep(lang, `notifications:kind.${kind}.title`, p), body: tDeep(lang, `notifications:kind.${kind}.body`, p) };
}
