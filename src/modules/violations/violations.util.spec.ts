import { tDeep } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { assertCanRespond, assertCanVoid, deductionSummary, parseEvidenceNames, penaltyLines, responseDueOn, responseRefusal, validateKind } from './violations.util';

/** The English text of the RuleViolation a call throws (messages are catalogue keys with params). */
function en(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return tDeep('en', e.message, e.params);
    throw e;
  }
  throw new Error('did not throw');
}
const text = (m: { message: string; params?: Record<string, unknown> } | null) => (m ? tDeep('en', m.message, m.params) : null);

describe('response window', () => {
  it('adds the configured days to the recording date, across month ends', () => {
    expect(responseDueOn('2026-11-25', 7)).toBe('2026-12-02');
    expect(responseDueOn('2026-02-27', 2)).toBe('2026-03-01');
  });
  it('refuses a window outside 1..90 days', () => {
    expect(() => responseDueOn('2026-11-25', 0)).toThrow(RuleViolation);
    expect(en(() => responseDueOn('2026-11-25', 91))).toMatch(/1 to 90/);
  });
  const open = { status: 'recorded' as const, responseDueOn: '2026-12-02', partnerResponse: null };
  it('lets the partner respond up to and including the due date', () => {
    expect(responseRefusal(open, '2026-12-02')).toBeNull();
    expect(text(responseRefusal(open, '2026-12-03'))).toBe('The response window closed on 2026-12-02.');
    expect(tDeep('zh-CN', 'violations:errors.windowClosed', responseRefusal(open, '2026-12-03')!.params)).toBe('答复期已于 2026-12-02 结束。');
  });
  it('refuses a second response, a voided violation and an empty text', () => {
    expect(text(responseRefusal({ ...open, partnerResponse: 'done' }, '2026-11-30'))).toMatch(/already responded/);
    expect(text(responseRefusal({ ...open, status: 'voided' }, '2026-11-30'))).toMatch(/voided/);
    expect(en(() => assertCanRespond(open, '2026-11-30', '   '))).toMatch(/Write your response/);
    expect(assertCanRespond(open, '2026-11-30', '  we disagree ')).toBe('we disagree');
  });
});

describe('voiding', () => {
  it('needs a reason and cannot void twice', () => {
    expect(en(() => assertCanVoid({ status: 'recorded' }, ' '))).toMatch(/reason is required/);
    expect(en(() => assertCanVoid({ status: 'voided' }, 'x'))).toMatch(/already voided/);
    expect(assertCanVoid({ status: 'recorded' }, ' wrong partner ')).toBe('wrong partner');
  });
});

describe('penalty lines', () => {
  const base = { partnerId: 7, kindName: 'Overcharging', voidReason: null };
  it('asks for a negative line per penalty and a positive reversal per voided one; none without a penalty', () => {
    const lines = penaltyLines([
      { ...base, id: 1, status: 'recorded', penaltyAmount: '3000.00' },
      { ...base, id: 2, status: 'voided', penaltyAmount: '500.50', voidReason: 'recorded twice' },
      { ...base, id: 3, status: 'recorded', penaltyAmount: null },
    ]);
    expect(lines.map((l) => [l.reference, l.amount])).toEqual([
      ['violation:1', '-3000.00'], ['violation:2', '-500.50'], ['violation:2:void', '500.50'],
    ]);
    expect(lines[2].reason).toContain('recorded twice');
    // the line's reason is stored data, written in Chinese; a seeded kind is named by its Chinese name
    expect(penaltyLines([{ ...base, id: 9, status: 'recorded', penaltyAmount: '10', kindCode: 'overcharging', kindName: 'Overcharging 违规收费' }])[0].reason).toBe('违规扣款：违规收费（违规 9）');
  });
});

describe('deduction summary', () => {
  it('counts non-voided violations per kind and sums their snapshotted points', () => {
    const rows = deductionSummary([
      { kindCode: 'b', kindName: 'B', scoreDeduction: '2.50', status: 'recorded' },
      { kindCode: 'b', kindName: 'B', scoreDeduction: '3.00', status: 'recorded' },
      { kindCode: 'a', kindName: 'A', scoreDeduction: '10', status: 'voided' },
      { kindCode: 'c', kindName: 'C', scoreDeduction: '1', status: 'recorded' },
    ]);
    expect(rows).toEqual([{ kindCode: 'b', kindName: 'B', count: 2, points: '5.50' }, { kindCode: 'c', kindName: 'C', count: 1, points: '1.00' }]);
  });
});

describe('evidence names and kinds', () => {
  it('splits evidence names by line, comma or semicolon, dropping blanks and duplicates', () => {
    expect(parseEvidenceNames('photo.jpg, call.mp3\n\nphoto.jpg;form.pdf')).toEqual(['photo.jpg', 'call.mp3', 'form.pdf']);
  });
  it('validates a kind', () => {
    expect(validateKind({ name: ' X ', severity: 'major', scoreDeduction: '5', penaltyAmount: '100' })).toEqual({ name: 'X', severity: 'major', scoreDeduction: '5.00', penaltyAmount: '100.00' });
    expect(en(() => validateKind({ name: 'X', severity: 'grave', scoreDeduction: '5' }))).toMatch(/minor or major/);
    expect(en(() => validateKind({ name: 'X', severity: 'minor', scoreDeduction: '0', penaltyAmount: '' }))).toMatch(/deduct score points, carry a penalty/);
    expect(en(() => validateKind({ name: 'X', severity: 'minor', scoreDeduction: '101' }))).toMatch(/0 to 100/);
    expect(en(() => validateKind({ name: 'X', severity: 'minor', scoreDeduction: '1', penaltyAmount: '-5' }))).toMatch(/positive amount/);
  });
});
