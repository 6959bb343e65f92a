import { tDeep } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { assertSheetAction, canDo, confirmBlocker, disputeDeadline, isDisputeWindowOpen, SHEET_STATUSES, SheetAction } from './sheet-state.util';

const LEGAL: Record<string, SheetAction[]> = {
  draft: ['edit', 'submit'],
  submitted: ['dispute', 'confirm'],
  disputed: ['resolve'],
  resolved: ['confirm'],
  confirmed: ['revise'],
};
const ACTIONS: SheetAction[] = ['edit', 'submit', 'dispute', 'resolve', 'confirm', 'revise'];

describe('sheet state machine', () => {
  for (const status of SHEET_STATUSES) {
    for (const action of ACTIONS) {
      const legal = LEGAL[status].includes(action);
      it(`${status}: ${action} is ${legal ? 'allowed' : 'refused'} (revision 1)`, () => {
        expect(canDo({ status, revision: 1 }, action)).toBe(legal);
        if (!legal) expect(() => assertSheetAction({ status, revision: 1 }, action)).toThrow(RuleViolation);
      });
    }
  }
  it('a confirmed sheet is final and says how to correct it', () => {
    expect(() => assertSheetAction({ status: 'confirmed', revision: 1 }, 'edit')).toThrow('scoring:errors.sheetFinal');
    expect(tDeep('en', 'scoring:errors.sheetFinal')).toMatch(/confirmed sheet is final: create a new revision/);
  });
  it('names the status in the reader\'s language', () => {
    try {
      assertSheetAction({ status: 'draft', revision: 1 }, 'confirm');
    } catch (e) {
      const v = e as RuleViolation;
      expect(tDeep('zh-CN', v.message, v.params)).toBe('无法确认该考核表：当前为“草稿”，只有已提交或申诉已处理的考核表可以确认。');
      expect(tDeep('en', v.message, v.params)).toMatch(/it is draft/);
    }
  });
  it('a draft revision (revision > 1) can be confirmed directly', () => {
    expect(canDo({ status: 'draft', revision: 2 }, 'confirm')).toBe(true);
    expect(canDo({ status: 'draft', revision: 1 }, 'confirm')).toBe(false);
  });
});

describe('dispute window', () => {
  const submitted = new Date('2026-10-05T08:00:00Z');
  const deadline = disputeDeadline(submitted, 7);
  it('ends window days after submission', () => {
    expect(deadline.toISOString()).toBe('2026-10-12T08:00:00.000Z');
  });
  it('is open until the deadline and closed after', () => {
    expect(isDisputeWindowOpen(deadline, new Date('2026-10-12T07:59:59Z'))).toBe(true);
    expect(isDisputeWindowOpen(deadline, new Date('2026-10-12T08:00:00Z'))).toBe(true);
    expect(isDisputeWindowOpen(deadline, new Date('2026-10-12T08:00:01Z'))).toBe(false);
    expect(isDisputeWindowOpen(null, new Date())).toBe(false);
  });
  it('a window of 0 days closes at submission', () => {
    expect(isDisputeWindowOpen(disputeDeadline(submitted, 0), new Date(submitted.getTime() + 1))).toBe(false);
  });
});

describe('confirm blocker', () => {
  const base = { status: 'submitted' as const, revision: 1, scoreY: '88.50', disputeDeadline: new Date('2026-10-12T08:00:00Z'), undisputable: false };
  const during = new Date('2026-10-10T00:00:00Z');
  const after = new Date('2026-10-13T00:00:00Z');
  const en = (b: { message: string; params?: Record<string, unknown> } | null) => (b ? tDeep('en', b.message, b.params) : null);
  it('waits for the dispute window (shown in business time, Asia/Shanghai)', () => {
    expect(en(confirmBlocker(base, during))).toBe('the dispute window is open until 2026-10-12 16:00');
    expect(confirmBlocker(base, during)?.reason).toBe('windowOpen');
    expect(confirmBlocker(base, after)).toBeNull();
  });
  it('allows confirming within the window only with a reason', () => {
    expect(en(confirmBlocker(base, during, { withinWindow: true }))).toMatch(/needs a reason/);
    expect(confirmBlocker(base, during, { withinWindow: true, reason: 'quarter-end deadline' })).toBeNull();
  });
  it('an undisputable sheet needs no waiting', () => {
    expect(confirmBlocker({ ...base, undisputable: true }, during)).toBeNull();
  });
  it('refuses drafts, open disputes and confirmed sheets with the reason', () => {
    expect(en(confirmBlocker({ ...base, status: 'draft' }, after))).toMatch(/submit it first/);
    expect(en(confirmBlocker({ ...base, status: 'disputed' }, after))).toMatch(/dispute must be resolved/);
    expect(en(confirmBlocker({ ...base, status: 'confirmed' }, after))).toBe('already confirmed');
    const b = confirmBlocker({ ...base, status: 'draft' }, after)!;
    expect(tDeep('zh-CN', `scoring:errors.cannotConfirm.${b.reason}`, b.params)).toBe('无法确认该考核表：当前为“草稿”，请先提交。');
  });
  it('a resolved sheet can be confirmed at once', () => {
    expect(confirmBlocker({ ...base, status: 'resolved' }, during)).toBeNull();
  });
});
