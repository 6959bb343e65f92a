import { emailWanted, formatParams, kindsForRole, MANDATORY_EMAIL_KINDS, NOTIFICATION_KINDS, OPTIONAL_EMAIL_KINDS, renderNotification } from './notification-kinds.util';

describe('notification kinds', () => {
  it('money and deadline kinds are always emailed; the others follow the preference', () => {
    for (const k of ['violation.recorded', 'score.submitted', 'statement.ready', 'statement.paid', 'duties.overdue'] as const) {
      expect(MANDATORY_EMAIL_KINDS.has(k)).toBe(true);
      expect(emailWanted(k, new Set([k]))).toBe(true);
      expect(OPTIONAL_EMAIL_KINDS).not.toContain(k);
    }
    expect(emailWanted('inquiry.answered', new Set(['inquiry.answered']))).toBe(false);
    expect(emailWanted('inquiry.answered', new Set())).toBe(true);
    expect(OPTIONAL_EMAIL_KINDS).not.toContain('application.received'); // applicants have no preferences
  });

  it('offers each role only the kinds it receives', () => {
    expect(kindsForRole(NOTIFICATION_KINDS, 'finance')).toEqual(expect.arrayContaining(['batch.awaitingApproval', 'import.finished', 'import.failed']));
    expect(kindsForRole(NOTIFICATION_KINDS, 'finance')).not.toContain('statement.paid');
    expect(kindsForRole(NOTIFICATION_KINDS, 'partner')).toContain('statement.paid');
    expect(kindsForRole(NOTIFICATION_KINDS, 'partner')).not.toContain('batch.awaitingApproval');
    expect(kindsForRole(NOTIFICATION_KINDS, 'channel_manager')).toEqual(expect.arrayContaining(['application.submitted', 'duties.overdue']));
  });

  it('formats dates and amounts for the reader, and renders in either language', () => {
    expect(formatParams({ amount: '1234.5', deadline: '2026-12-05', other: 3, none: null })).toEqual({ amount: '¥1,234.50', deadline: '2026-12-05', other: 3, none: '' });
    const params = { batchId: 4, period: '2026Q3', amount: '1234.5', reference: 'PAY-1' };
    expect(renderNotification('zh-CN', 'statement.paid', params)).toEqual({ title: '2026Q3 酬金已付款：¥1,234.50', body: '结算批次 #4 已付款，付款凭证号：PAY-1。' });
    expect(renderNotification('en', 'statement.paid', params).title).toBe('2026Q3 commission paid: ¥1,234.50');
    expect(renderNotification('zh-CN', 'violation.recorded', { id: 1, kindName: 'violations:kind.info_leak', severity: 'violations:severity.major', deadline: '2026-12-01' }).body)
      .toBe('严重程度：重大违规。请在 2026-12-01 前提交申辩。');
  });
});
