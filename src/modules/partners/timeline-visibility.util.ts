/**
 * What a partner's own users see of their timeline: what was shared with them or done by them. Pending proposals
 * (exit.propose), draft score edits (scoring.sheet.revise), review scorecards, duplicate-application attempts,
 * handover planning and unapproved adjustments stay with the staff — the partner's other pages hide them too.
 */
const SHARED_WITH_PARTNER = new Set([
  'partner.create', 'partner.certification', 'application.submit', 'user.create',
  'record.create', 'record.import', 'violation.record', 'violation.respond', 'violation.void',
  'scoring.sheet.submit', 'scoring.sheet.dispute', 'scoring.sheet.confirm',
  'settlement.inquiry.raise', 'exit.approve', 'exit.complete',
]);

export function partnerMaySeeAuditAction(action: string): boolean {
  return SHARED_WITH_PARTNER.has(action);
}
