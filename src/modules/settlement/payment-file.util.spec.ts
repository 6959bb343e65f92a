import { matchPaymentRows, PaymentLine } from './payment-file.util';

describe('the payments file against the lines (#16)', () => {
  const today = '2026-11-27';
  const lines: PaymentLine[] = [
    { id: '1', batch_id: 7, code: 'A', total_pay: '100.00', status: 'exported', paid_on: null },
    { id: '2', batch_id: 7, code: 'B', total_pay: '50.00', status: 'exported', paid_on: null },
    { id: '3', batch_id: 7, code: 'C', total_pay: '0.00', status: 'exported', paid_on: null },
    { id: '4', batch_id: 7, code: 'D', total_pay: '20.00', status: 'exported', paid_on: '2026-11-01' },
  ];
  const row = (n: number, code: string, amount: string, ref = `R-${code}`, on = '2026-11-20') => ({ row: n, values: { batch_id: '7', partner_code: code, paid_amount: amount, paid_on: on, payment_reference: ref } });

  it('pays each listed line with its own reference and date', () => {
    const r = matchPaymentRows([row(2, 'A', '100.00'), row(3, 'B', '50.00', 'R-B', '2026-11-21')], lines, new Set(), today);
    expect(r.errors).toEqual([]);
    expect(r.entries.get(7)).toEqual([{ lineId: '1', reference: 'R-A', paidOn: '2026-11-20' }, { lineId: '2', reference: 'R-B', paidOn: '2026-11-21' }]);
  });

  it('names every problem by row and column', () => {
    const r = matchPaymentRows([row(2, 'A', '99.99', ''), row(3, 'D', '20.00'), row(4, 'X', '1.00'), row(5, 'A', '100.00')], lines, new Set(['1']), today);
    expect(r.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [2, 'partner_code', 'invoices:errors.blockedRow'], [2, 'paid_amount', 'settlement:csv.paidAmountMismatch'], [2, 'payment_reference', 'settlement:payment.referenceRequired'],
      [3, 'partner_code', 'settlement:payment.alreadyPaidRow'],
      [4, 'partner_code', 'settlement:csv.noLineForPartner'],
      [5, 'partner_code', 'invoices:errors.blockedRow'], [5, 'partner_code', 'settlement:csv.listedTwice'],
      [0, '(file)', 'settlement:csv.missingPayment'],
    ]);
  });
});
