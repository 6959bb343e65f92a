import { RuleViolation } from '../../core/web/errors';
import { checkReassignment, checkStageChange, stageOf } from './customer-rules.util';

describe('reassignment rule', () => {
  const current = { partnerId: 1, managerUserId: null, validFrom: '2026-01-01' };
  it('needs exactly one holder', () => {
    expect(() => checkReassignment(current, {}, '2026-07-01', 'r')).toThrow(/customers:errors.oneHolder/);
    expect(() => checkReassignment(current, { partnerId: 2, managerUserId: 3 }, '2026-07-01', 'r')).toThrow(RuleViolation);
  });
  it('refuses an empty or overlapping new range', () => {
    expect(() => checkReassignment(current, { partnerId: 2 }, '2026-01-01', 'r')).toThrow(/customers:errors.startAfter/);
    expect(() => checkReassignment(current, { partnerId: 2 }, '2025-12-31', 'r')).toThrow(/customers:errors.startAfter/);
  });
  it('refuses the same holder and a missing reason', () => {
    expect(() => checkReassignment(current, { partnerId: 1 }, '2026-07-01', 'r')).toThrow(/customers:errors.sameHolder/);
    expect(() => checkReassignment(current, { partnerId: 2 }, '2026-07-01', ' ')).toThrow(/customers:errors.reassignReason/);
  });
  it('accepts a handover the day after the start and a first assignment', () => {
    expect(() => checkReassignment(current, { managerUserId: 9 }, '2026-01-02', 'r')).not.toThrow();
    expect(() => checkReassignment(null, { partnerId: 1 }, '2020-01-01', 'r')).not.toThrow();
  });
});

describe('stage change rule', () => {
  it('accepts a real change', () => {
    expect(checkStageChange('development', 'maturity', '2026-08-15', '2026-01-01', '2026-11-25', 'grew')).toBe('maturity');
  });
  it('refuses unknown, same, future, backdated or reasonless changes', () => {
    expect(() => checkStageChange('development', 'growth', '2026-08-15', null, '2026-11-25', 'x')).toThrow(/customers:errors.unknownStage/);
    expect(() => checkStageChange('development', 'development', '2026-08-15', null, '2026-11-25', 'x')).toThrow(/customers:errors.sameStage/);
    expect(() => checkStageChange('development', 'maturity', '2026-12-01', null, '2026-11-25', 'x')).toThrow(/customers:errors.futureStage/);
    expect(() => checkStageChange('development', 'maturity', '2026-01-01', '2026-02-01', '2026-11-25', 'x')).toThrow(/customers:errors.beforePrevious/);
    expect(() => checkStageChange('development', 'maturity', '2026-08-15', null, '2026-11-25', '')).toThrow(/customers:errors.stageReason/);
  });
});

describe('stage as typed', () => {
  it('reads codes and Chinese names', () => {
    expect(stageOf('Churn')).toBe('churn');
    expect(stageOf('成熟期')).toBe('maturity');
    expect(stageOf('客户衰退期')).toBe('decline');
    expect(stageOf('growth')).toBeNull();
  });
  it('names the field and the stage in a refusal', () => {
    expect.assertions(1);
    try { checkStageChange('development', 'development', '2026-08-15', null, '2026-11-25', 'x'); } catch (e) {
      expect(e).toMatchObject({ field: 'stage', params: { stage: 'customers:stage.development' } });
    }
  });
});
