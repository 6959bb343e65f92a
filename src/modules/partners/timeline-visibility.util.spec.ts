import { partnerMaySeeAuditAction } from './timeline-visibility.util';

describe('what a partner sees of its timeline', () => {
  it('shows what was shared with the partner', () => {
    for (const a of ['violation.record', 'scoring.sheet.submit', 'exit.approve', 'record.create']) expect(partnerMaySeeAuditAction(a)).toBe(true);
  });
  it('hides internal work: pending exit proposals, draft score edits, reviews, duplicate attempts', () => {
    for (const a of ['exit.propose', 'exit.dismiss', 'scoring.sheet.revise', 'application.review', 'application.duplicateAttempt', 'handover.assign', 'settlement.adjustment.add', 'unknown.action']) {
      expect(partnerMaySeeAuditAction(a)).toBe(false);
    }
  });
});
