import { dec, money, parseAmount, round2, sumMoney } from './money.util';

describe('money rule', () => {
  it.each([
    ['0.125', '0.13'], ['-0.125', '-0.13'], ['0.124', '0.12'], ['2.675', '2.68'], ['1.005', '1.01'],
    ['-1.005', '-1.01'], ['0.005', '0.01'], ['0.0049999', '0.00'], ['123456789012.345', '123456789012.35'],
  ])('round2(%s) = %s (ties away from zero)', (input, expected) => {
    expect(round2(input).toFixed(2)).toBe(expected);
  });

  it('keeps precision where JS floats lose it', () => {
    expect(money(dec('0.1').plus('0.2'))).toBe('0.30');
    expect(dec('0.1').plus('0.2').toString()).toBe('0.3');
    expect(sumMoney(Array(1000).fill('0.01')).toFixed(2)).toBe('10.00');
  });

  it('parses amounts strictly', () => {
    expect(parseAmount('1234.5').toFixed(2)).toBe('1234.50');
    expect(parseAmount('-10.00', { allowNegative: true }).toFixed(2)).toBe('-10.00');
    for (const bad of ['', 'abc', '1,000.00', '1.234', '1e5', '--1', ' . ', '01.00']) {
      expect(() => parseAmount(bad, { allowNegative: true })).toThrow('errors:money.notAmount');
    }
    expect(() => parseAmount('-1')).toThrow('errors:money.negative');
  });
});
