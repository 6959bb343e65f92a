import { RuleViolation } from '../../core/web/errors';
import { accrualDropAtRisk, accrualDropPercent, checkDropPercent, checkOutcome, dissatisfiedAtRisk, stageAtRisk, taskDueOn } from './retention-rules.util';

describe('churn early warning rules', () => {
  it('decline and churn stages are at risk, the others not', () => {
    expect(stageAtRisk('decline')).toBe(true);
    expect(stageAtRisk('churn')).toBe(true);
    expect(stageAtRisk('maturity')).toBe(false);
    expect(stageAtRisk('acquisition')).toBe(false);
  });

  it('accruals down more than X % quarter on quarter (exact decimals, the threshold itself is not a drop beyond it)', () => {
    expect(accrualDropPercent('1000.00', '700.00')!.toFixed(2)).toBe('30.00');
    expect(accrualDropAtRisk('1000.00', '700.00', '30')).toBe(false);
    expect(accrualDropAtRisk('1000.00', '699.99', '30')).toBe(true);
    expect(accrualDropAtRisk('1000.00', '0', '30')).toBe(true);
    expect(accrualDropAtRisk('0', '0', '30')).toBe(false); // nothing to fall from
    expect(accrualDropAtRisk('500', '900', '30')).toBe(false); // growth
    expect(accrualDropPercent('0.10', '0.07')!.toFixed(2)).toBe('30.00');
  });

  it('two dissatisfied return visits put the customer at risk', () => {
    expect(dissatisfiedAtRisk(1)).toBe(false);
    expect(dissatisfiedAtRisk(2)).toBe(true);
  });

  it('the retention task is due some days after the warning (business dates, across month ends)', () => {
    expect(taskDueOn('2026-11-27', 14)).toBe('2026-12-11');
    expect(taskDueOn('2026-12-25', 14)).toBe('2027-01-08');
  });

  it('closing needs an outcome, and a lost customer a reason', () => {
    expect(checkOutcome('retained', '')).toEqual({ outcome: 'retained', reason: null });
    expect(checkOutcome('lost', ' 被竞争对手低价挖走 ')).toEqual({ outcome: 'lost', reason: '被竞争对手低价挖走' });
    expect(() => checkOutcome('lost', ' ')).toThrow(expect.objectContaining({ field: 'reason' }));
    expect(() => checkOutcome('maybe', 'x')).toThrow(RuleViolation);
  });

  it('the drop threshold is a percentage in (0, 100]', () => {
    expect(checkDropPercent('30')).toBe('30');
    expect(checkDropPercent('12.5')).toBe('12.5');
    expect(() => checkDropPercent('0')).toThrow(RuleViolation);
    expect(() => checkDropPercent('101')).toThrow(RuleViolation);
    expect(() => checkDropPercent('abc')).toThrow(RuleViolation);
  });
});
