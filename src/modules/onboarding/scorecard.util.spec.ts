import { t } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { assertValidCriteria, assertValidPassMark, criteriaProblems, scorecardTotal, suggestDecision } from './scorecard.util';

const DEFAULTS = [
  { name: 'Service capability', weight: 30, maxPoints: 10 },
  { name: 'Sales capability', weight: 30, maxPoints: 10 },
  { name: 'Qualifications', weight: 20, maxPoints: 5 },
  { name: 'Regional coverage', weight: 20, maxPoints: 5 },
];

describe('review scorecard', () => {
  it('accepts weights that add up to 100', () => {
    expect(criteriaProblems(DEFAULTS)).toEqual([]);
  });

  it('refuses weights that do not add up to 100 and says the sum', () => {
    const bad = DEFAULTS.map((c, i) => (i === 0 ? { ...c, weight: 35 } : c));
    expect(() => assertValidCriteria(bad)).toThrow('onboarding:criteria.sum');
    expect(criteriaProblems(bad)).toEqual([{ index: -1, field: 'weight', message: 'onboarding:criteria.sum', params: { sum: 105 } }]);
    expect(t('en', 'onboarding:criteria.sum', { sum: 105 })).toBe('the weights of the active criteria must add up to 100 (they add up to 105)');
    expect(t('zh-CN', 'onboarding:criteria.sum', { sum: 105 })).toBe('启用的评审项权重合计须为 100（当前合计 105）');
    expect(() => assertValidCriteria(bad)).toThrow(RuleViolation);
  });

  it('ignores inactive criteria in the sum', () => {
    expect(criteriaProblems([...DEFAULTS, { name: 'Old', weight: 10, maxPoints: 5, active: false }])).toEqual([]);
  });

  it('refuses duplicate names, fractional weights, zero max points and an empty set', () => {
    const messages = criteriaProblems([{ name: 'A', weight: 50.5, maxPoints: 0 }, { name: 'a', weight: 49.5, maxPoints: 5 }]).map((p) => t('en', p.message, p.params));
    expect(messages).toEqual(expect.arrayContaining(['"a" appears twice', 'weight of "A" must be a whole number 0-100', 'max points of "A" must be a whole number 1-1000']));
    expect(criteriaProblems([]).map((p) => p.message)).toEqual(['onboarding:criteria.noneActive']);
  });

  it('computes the total as weighted share of max points', () => {
    const lines = DEFAULTS.map((c, i) => ({ ...c, points: [9, 7, 4, 3][i] }));
    // 27 + 21 + 16 + 12
    expect(scorecardTotal(lines)).toBe('76.00');
    expect(scorecardTotal(DEFAULTS.map((c) => ({ ...c, points: c.maxPoints })))).toBe('100.00');
  });

  it('rounds the total to two decimals half away from zero', () => {
    expect(scorecardTotal([{ name: 'x', weight: 100, maxPoints: 3, points: 2 }])).toBe('66.67');
    expect(scorecardTotal([{ name: 'x', weight: 100, maxPoints: 8, points: 7 }])).toBe('87.50');
  });

  it('refuses points above the maximum or below zero', () => {
    expect(() => scorecardTotal([{ name: 'Sales', weight: 100, maxPoints: 10, points: 11 }])).toThrow('onboarding:errors.points');
    expect(() => scorecardTotal([{ name: 'Sales', weight: 100, maxPoints: 10, points: -1 }])).toThrow(RuleViolation);
  });

  it('suggests approval at or above the pass mark', () => {
    expect(suggestDecision('70.00', '70')).toBe('approve');
    expect(suggestDecision('69.99', '70')).toBe('reject');
  });

  it('validates the pass mark', () => {
    expect(assertValidPassMark('72.5')).toBe('72.50');
    expect(() => assertValidPassMark('101')).toThrow('onboarding:errors.passMark');
    expect(() => assertValidPassMark('abc')).toThrow('onboarding:errors.passMark');
  });
});
