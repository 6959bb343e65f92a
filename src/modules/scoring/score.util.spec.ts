import { tDeep } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import {
  complaintTimelinessScore, computeScoreY, deductionScore, dutyCompletionScore, histogramOfY, parseIndicatorScore,
  recordTimelinessScore, validateScheme,
} from './score.util';

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

const DEFAULT = [
  { code: 'DUTY_COMPLETION', name: 'Duty', family: 'service_quality', weight: '30', method: 'auto_duty_completion' },
  { code: 'COMPLAINT_TIMELINESS', name: 'Complaints', family: 'service_quality', weight: '15', method: 'auto_complaint_timeliness' },
  { code: 'RECORD_TIMELINESS', name: 'Records', family: 'service_quality', weight: '10', method: 'auto_record_timeliness' },
  { code: 'PROFESSIONAL_QUALITY', name: 'Prof', family: 'professional_quality', weight: '15', method: 'manual' },
  { code: 'SERVICE_ATTITUDE', name: 'Attitude', family: 'service_attitude', weight: '15', method: 'manual' },
  { code: 'COMPLIANCE', name: 'Compliance', family: 'compliance', weight: '15', method: 'deduction' },
];

describe('score Y', () => {
  it('is Σ weight × score / 100', () => {
    expect(computeScoreY([{ weight: '30', score: '100' }, { weight: '70', score: '80' }])!.toFixed(2)).toBe('86.00');
  });
  it('keeps 2 decimals, rounding half away from zero once at the end', () => {
    // 33.33×50 + 66.67×45.5 = 1666.5 + 3033.485 = 4699.985 → /100 = 46.99985 → 47.00
    expect(computeScoreY([{ weight: '33.33', score: '50' }, { weight: '66.67', score: '45.5' }])!.toFixed(2)).toBe('47.00');
    // 0.5 × 0.01 / 100... a tie: weight 50 × 0.01 + 50 × 0 = 0.5 → 0.005 → 0.01 (away from zero)
    expect(computeScoreY([{ weight: '50', score: '0.01' }, { weight: '50', score: '0' }])!.toFixed(2)).toBe('0.01');
  });
  it('is null while an indicator has no score', () => {
    expect(computeScoreY([{ weight: '50', score: '90' }, { weight: '50', score: null }])).toBeNull();
    expect(computeScoreY([])).toBeNull();
  });
  it('is 100 when every indicator is 100', () => {
    expect(computeScoreY(DEFAULT.map((d) => ({ weight: d.weight, score: '100' })))!.toFixed(2)).toBe('100.00');
  });
});

describe('scheme weights', () => {
  it('accepts the default scheme (sum 100)', () => {
    expect(() => validateScheme('v1', DEFAULT)).not.toThrow();
  });
  it('refuses weights that do not add up to 100 and names the indicator set', () => {
    const bad = DEFAULT.map((d) => (d.code === 'COMPLIANCE' ? { ...d, weight: '10' } : d));
    expect(() => validateScheme('Scheme v2', bad)).toThrow(RuleViolation);
    expect(en(() => validateScheme(2, bad))).toBe('The weights of indicator set "scheme version 2" add up to 95.00; they must add up to exactly 100 (5.00 missing).');
    expect(tDeep('zh-CN', 'scoring:errors.weightsMissing', { set: 2, total: '95.00', diff: '5.00' })).toBe('考核方案第 2 版的指标权重合计为 95.00，必须正好等于 100（还差 5.00）。');
    const over = DEFAULT.map((d) => (d.code === 'COMPLIANCE' ? { ...d, weight: '20.5' } : d));
    expect(en(() => validateScheme('X', over))).toMatch(/105.50.*5.50 too much/);
  });
  it('refuses duplicate codes, zero weights, unknown methods and empty sets', () => {
    expect(en(() => validateScheme('X', [...DEFAULT, DEFAULT[0]]))).toMatch(/appears twice/);
    expect(en(() => validateScheme('X', [{ ...DEFAULT[0], weight: '0' }]))).toMatch(/above 0/);
    expect(en(() => validateScheme('X', [{ ...DEFAULT[0], weight: '100', method: 'magic' }]))).toMatch(/method must be one of manual, deduction|method must be/);
    expect(en(() => validateScheme('X', []))).toMatch(/no indicators/);
    // the refused row is named like the scheme form's input
    try { validateScheme('X', [{ ...DEFAULT[0], weight: '0' }]); } catch (e) { expect((e as RuleViolation).field).toBe('indicators.0.weight'); }
  });
});

describe('auto indicators from fixture numbers', () => {
  it('duty completion = min(1, fulfilled/required) × 100; nothing required = 100', () => {
    expect(dutyCompletionScore({ required: 10, fulfilled: 8 }).toFixed(2)).toBe('80.00');
    expect(dutyCompletionScore({ required: 3, fulfilled: 2 }).toFixed(2)).toBe('66.67');
    expect(dutyCompletionScore({ required: 4, fulfilled: 6 }).toFixed(2)).toBe('100.00');
    expect(dutyCompletionScore({ required: 0, fulfilled: 0 }).toFixed(2)).toBe('100.00');
    expect(dutyCompletionScore({ required: 5, fulfilled: 0 }).toFixed(2)).toBe('0.00');
  });
  it('complaint and record timeliness rates; none = 100', () => {
    expect(complaintTimelinessScore({ total: 8, onTime: 7 }).toFixed(2)).toBe('87.50');
    expect(complaintTimelinessScore({ total: 0, onTime: 0 }).toFixed(2)).toBe('100.00');
    expect(recordTimelinessScore({ total: 6, onTime: 5 }).toFixed(2)).toBe('83.33');
    expect(recordTimelinessScore({ total: 0, onTime: 0 }).toFixed(2)).toBe('100.00');
  });
  it('refuses negative or fractional counts', () => {
    expect(() => dutyCompletionScore({ required: -1, fulfilled: 0 })).toThrow(RuleViolation);
    expect(() => recordTimelinessScore({ total: 2.5, onTime: 1 })).toThrow(RuleViolation);
  });
});

describe('deduction indicator', () => {
  const facts = [
    { kindCode: 'LATE_VISIT', count: 2, points: '10' },
    { kindCode: 'FALSE_RECORD', count: 1, points: '30' },
  ];
  it('is 100 − Σ points', () => {
    expect(deductionScore(facts).score.toFixed(2)).toBe('60.00');
    expect(deductionScore([]).score.toFixed(2)).toBe('100.00');
  });
  it('counts only the listed kinds (empty = all)', () => {
    const r = deductionScore(facts, ['LATE_VISIT']);
    expect(r.score.toFixed(2)).toBe('90.00');
    expect(r.counted.map((c) => c.kindCode)).toEqual(['LATE_VISIT']);
  });
  it('never goes below 0', () => {
    expect(deductionScore([{ kindCode: 'MAJOR', count: 3, points: '150' }]).score.toFixed(2)).toBe('0.00');
  });
});

describe('manual score input', () => {
  it.each([['85', '85.00'], ['100', '100.00'], ['0', '0.00'], [' 72.5 ', '72.50'], ['99.99', '99.99']])('accepts %s', (raw, v) => {
    expect(parseIndicatorScore(raw)).toBe(v);
  });
  it.each(['101', '-1', '85.555', 'abc', '', '100.01'])('refuses %s', (raw) => {
    expect(() => parseIndicatorScore(raw)).toThrow(RuleViolation);
  });
});

describe('histogram of Y', () => {
  it('puts scores in 10-point buckets below 90 and one bucket 90–100', () => {
    const h = histogramOfY(['95.00', '90.00', '89.99', '72.00', '55.00', null, '100.00']);
    expect(h.map((b) => b.count)).toEqual([1, 0, 1, 1, 3]);
  });
});
