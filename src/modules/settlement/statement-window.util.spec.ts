import { inquiryDeadline, statementActions } from './statement-window.util';

describe('the statement window (confirm or inquire, #16)', () => {
  // process TZ is the business zone (Asia/Shanghai) in tests: 2026-11-20T17:00Z is already 2026-11-21 there
  const approvedAt = new Date('2026-11-20T17:00:00Z');

  it('counts days from the approval\'s business date', () => {
    expect(inquiryDeadline(approvedAt, 7)).toBe('2026-11-28');
    expect(inquiryDeadline(new Date('2026-12-30T02:00:00Z'), 7)).toBe('2027-01-06');
    expect(inquiryDeadline(approvedAt, 0)).toBe('2026-11-21');
  });

  it('a draft may be questioned, not confirmed', () => {
    expect(statementActions({ status: 'draft', approvedAt: null, confirmedAt: null }, 7)).toEqual({ canInquire: true, canConfirm: false, until: null, closedBecause: null });
  });

  it('approved, exported or paid: open through the last day (business time), closed the day after', () => {
    for (const status of ['approved', 'exported', 'paid']) {
      const lastDay = statementActions({ status, approvedAt, confirmedAt: null }, 7, new Date('2026-11-28T15:59:00Z'));
      expect(lastDay).toEqual({ canInquire: true, canConfirm: true, until: '2026-11-28', closedBecause: null });
      const after = statementActions({ status, approvedAt, confirmedAt: null }, 7, new Date('2026-11-28T16:00:00Z'));
      expect(after).toEqual({ canInquire: false, canConfirm: false, until: '2026-11-28', closedBecause: 'settlement:window.closed' });
    }
  });

  it('once confirmed, no new inquiry; a cancelled batch takes nothing', () => {
    expect(statementActions({ status: 'approved', approvedAt, confirmedAt: new Date() }, 7, approvedAt).closedBecause).toBe('settlement:window.confirmed');
    expect(statementActions({ status: 'cancelled', approvedAt: null, confirmedAt: null }, 7).canInquire).toBe(false);
  });
});
