import { computePay, displayCoefficient, formulaText, withheldByQuality } from './pay-formula.util';

describe('pay formula: accrued × 90% + accrued × 10% × P', () => {
  it.each([
    // accrued, Y, adjustments -> base, quality, total_formula, total_pay, carry_forward
    ['1000.00', '90', '0', '900.00', '100.00', '1000.00', '1000.00', '0.00'],
    ['1000.00', '90.00', '0', '900.00', '100.00', '1000.00', '1000.00', '0.00'],
    ['1000.00', '100', '0', '900.00', '100.00', '1000.00', '1000.00', '0.00'],
    ['1000.00', '89.99', '0', '900.00', '99.99', '999.99', '999.99', '0.00'],
    ['1000.00', '0', '0', '900.00', '0.00', '900.00', '900.00', '0.00'],
    ['1000.00', '45', '0', '900.00', '50.00', '950.00', '950.00', '0.00'],
    ['0', '75.5', '0', '0.00', '0.00', '0.00', '0.00', '0.00'],
    ['0.00', null, '0', '0.00', '0.00', '0.00', '0.00', '0.00'],
    ['1000.00', null, '0', '900.00', '100.00', '1000.00', '1000.00', '0.00'],
    // negative accrued (reversals exceed accruals): nothing paid, the negative is carried forward
    ['-100.00', '45', '0', '-90.00', '-5.00', '-95.00', '0.00', '-95.00'],
    ['-100.00', '95', '30.00', '-90.00', '-10.00', '-100.00', '0.00', '-70.00'],
    // ties at the third decimal round away from zero
    ['0.05', '0', '0', '0.05', '0.00', '0.05', '0.05', '0.00'],
    ['12.35', '90', '0', '11.12', '1.23', '12.35', '12.35', '0.00'],
    ['1.00', '85.50', '0', '0.90', '0.10', '1.00', '1.00', '0.00'],
    ['-1.00', '85.50', '0', '-0.90', '-0.10', '-1.00', '0.00', '-1.00'],
    ['-12.35', '90', '0', '-11.12', '-1.23', '-12.35', '0.00', '-12.35'],
    // huge amounts stay exact
    ['999999999999.99', '89.99', '0', '899999999999.99', '99988888888.89', '999988888888.88', '999988888888.88', '0.00'],
    ['123456.78', '77.77', '0', '111111.10', '10668.04', '121779.14', '121779.14', '0.00'],
    // adjustments are added after the formula, not scaled by P
    ['1000.00', '90', '-200.00', '900.00', '100.00', '1000.00', '800.00', '0.00'],
    ['1000.00', '45', '-200.00', '900.00', '50.00', '950.00', '750.00', '0.00'],
    ['1000.00', '90', '-1200.00', '900.00', '100.00', '1000.00', '0.00', '-200.00'],
    ['1000.00', '90', '-1000.00', '900.00', '100.00', '1000.00', '0.00', '0.00'],
    ['0', null, '50.00', '0.00', '0.00', '0.00', '50.00', '0.00'],
  ])('accrued %s, Y %s, adjustments %s', (accrued, y, adj, base, quality, formula, total, carry) => {
    const r = computePay({ accrued: accrued!, scoreY: y, adjustments: adj! });
    expect(r).toEqual({ basePay: base, qualityPay: quality, totalFormula: formula, adjustments: dec2(adj!), totalPay: total, carryForward: carry });
  });

  it('never rounds P: 900000 at Y = 80 pays 890000.00, not the 890000.01 a 6-decimal P would give', () => {
    expect(computePay({ accrued: '900000.00', scoreY: '80', adjustments: 0 }).totalFormula).toBe('890000.00');
  });

  it('columns always add up: base + quality = total_formula', () => {
    for (let i = 0; i < 2000; i++) {
      const accrued = ((i * 7919) % 2000003 - 1000000) / 100;
      const y = ((i * 131) % 10001) / 100;
      const r = computePay({ accrued: accrued.toFixed(2), scoreY: y.toFixed(2), adjustments: 0 });
      expect((Number(r.basePay) * 100 + Number(r.qualityPay) * 100).toFixed(0)).toBe((Number(r.totalFormula) * 100).toFixed(0));
    }
  });

  it('refuses a score outside 0..100 or with more than 2 decimals', () => {
    expect(() => computePay({ accrued: '1', scoreY: '100.01', adjustments: 0 })).toThrow('settlement:errors.badScoreY');
    expect(() => computePay({ accrued: '1', scoreY: '-1', adjustments: 0 })).toThrow('settlement:errors.badScoreY');
    expect(() => computePay({ accrued: '1', scoreY: '89.999', adjustments: 0 })).toThrow('settlement:errors.badScoreY');
  });

  it('shows P with 12 decimals, 1 at or above 90 and for overrides', () => {
    expect(displayCoefficient('89.99')).toBe('0.999888888889');
    expect(displayCoefficient('90')).toBe('1.000000000000');
    expect(displayCoefficient(null)).toBe('1.000000000000');
    expect(displayCoefficient('0')).toBe('0.000000000000');
  });

  it('computes withheld-by-quality and the filled-in formula', () => {
    expect(withheldByQuality('1000.00', '950.00')).toBe('50.00');
    expect(formulaText('1000.00', '45.00', '0.5', '950.00')).toContain('1000.00 × 90% + 1000.00 × 10% × P = 950.00');
    expect(formulaText('1000.00', '45.00', '0.5', '950.00')).toContain('45.00/90 ≈ 0.500000');
  });
});

function dec2(v: string): string {
  return Number(v).toFixed(2);
}
