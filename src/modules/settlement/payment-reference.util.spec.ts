import { paymentProblems } from './payment-reference.util';

describe('a payment reference and date (#16)', () => {
  const today = '2026-11-27';
  it('accepts a reference with a date up to today', () => {
    expect(paymentProblems(' ICBC-0007 ', '2026-11-27', today)).toEqual([]);
    expect(paymentProblems('ICBC-0007', '2026-10-01', today)).toEqual([]);
  });
  it('names each missing or wrong part', () => {
    expect(paymentProblems('', 'x', today).map((p) => [p.column, p.message])).toEqual([
      ['payment_reference', 'settlement:payment.referenceRequired'], ['paid_on', 'settlement:payment.badDate'],
    ]);
    expect(paymentProblems('R'.repeat(101), '2026-02-30', today).map((p) => p.message)).toEqual(['settlement:payment.referenceTooLong', 'settlement:payment.badDate']);
    expect(paymentProblems('R', '2026-11-28', today)).toEqual([{ column: 'paid_on', message: 'settlement:payment.futureDate', params: { value: '2026-11-28', today } }]);
  });
});
