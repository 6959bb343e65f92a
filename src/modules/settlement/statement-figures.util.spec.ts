import { figuresHash, newVerificationCode, normalizeVerificationCode, statementFigures } from './statement-figures.util';

const statement = (totalPay: string, status = 'approved') => ({
  partner: { id: 7 }, period: '2026Q3', accrued: '100', total: totalPay,
  lines: [{ batch_id: 3, status, accrual_count: 2, accrued: '100.00', score_y: '81', coefficient_p: '0.900000000000', base_pay: '90.00', quality_pay: '9.00', adjustments: '0', total_formula: '99.00', total_pay: totalPay, carry_forward: '0.00' }],
  adjustments: [{ id: 11, amount: '-5' }],
});

describe('statement figures and verification codes', () => {
  it('normalises amounts so the same figures hash the same however the database spelled them', () => {
    const f = statementFigures(statement('99'));
    expect(f.lines[0]).toMatchObject({ accrued: '100.00', scoreY: '81.00', p: '0.900000', adjustments: '0.00', totalPay: '99.00' });
    expect(f.adjustments).toEqual([{ id: 11, amount: '-5.00' }]);
    expect(figuresHash(f)).toBe(figuresHash(statementFigures(statement('99.00'))));
    expect(figuresHash(f)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a changed amount changes the hash; a changed state (paid) does not', () => {
    const h = figuresHash(statementFigures(statement('99.00')));
    expect(figuresHash(statementFigures(statement('99.01')))).not.toBe(h);
    expect(figuresHash(statementFigures(statement('99.00', 'paid')))).toBe(h);
  });

  it('codes are 3 groups of 4 unambiguous characters, random, and read back however typed', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newVerificationCode()));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}$/);
    const [c] = codes;
    expect(normalizeVerificationCode(` ${c.toLowerCase().replace(/-/g, ' ')} `)).toBe(c);
    expect(normalizeVerificationCode(c.replace(/-/g, ''))).toBe(c);
    expect(normalizeVerificationCode('ABCD-EFGH-IJK0')).toBeNull(); // I and 0 are never issued
    expect(normalizeVerificationCode('ABCD')).toBeNull();
    expect(normalizeVerificationCode(undefined)).toBeNull();
  });
});
