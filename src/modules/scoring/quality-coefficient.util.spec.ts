import { tDeep } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { formatCoefficient, qualityCoefficient } from './quality-coefficient.util';

describe('quality coefficient P', () => {
  it.each([
    ['100', '1'],
    ['90', '1'],
    ['90.00', '1'],
    ['95.5', '1'],
    ['45', '0.5'],
    ['0', '0'],
    ['72', '0.8'],
  ])('Y = %s gives P = %s', (y, p) => {
    expect(qualityCoefficient(y).toString()).toBe(p);
  });

  it('Y = 89.99 gives 0.99988… unrounded (checked to 20 digits)', () => {
    const p = qualityCoefficient('89.99');
    expect(p.toFixed(20)).toBe('0.99988888888888888889');
    expect(p.toString()).toBe('0.9998888888888888888888888888888888888889');
    expect(p.precision()).toBe(40);
  });

  it('keeps more than 6 decimals: 60.01 / 90', () => {
    expect(qualityCoefficient('60.01').toFixed(12)).toBe('0.666777777778');
  });

  it('accepts numbers as well as strings', () => {
    expect(qualityCoefficient(45).toString()).toBe('0.5');
  });

  it.each(['-0.01', '100.01', '-5', '1000'])('refuses Y = %s outside 0–100', (y) => {
    expect(() => qualityCoefficient(y)).toThrow(RuleViolation);
    expect(() => qualityCoefficient(y)).toThrow('scoring:errors.yRange');
    try { qualityCoefficient(y); } catch (e) { expect(tDeep('en', (e as RuleViolation).message, (e as RuleViolation).params)).toMatch(/between 0 and 100/); }
  });

  it.each(['abc', '', 'NaN', 'Infinity'])('refuses a Y that is not a number (%s)', (y) => {
    expect(() => qualityCoefficient(y)).toThrow(RuleViolation);
  });

  it('formats P with 6 decimals for export', () => {
    expect(formatCoefficient('89.99')).toBe('0.999889');
    expect(formatCoefficient('92')).toBe('1.000000');
    expect(formatCoefficient('45')).toBe('0.500000');
  });
});
