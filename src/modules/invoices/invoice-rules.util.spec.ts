import { checkDecisionProblem, checkInvoiceInput } from './invoice-rules.util';

describe('invoice rules (#16)', () => {
  const today = '2026-11-27';
  it('normalises a good invoice', () => {
    expect(checkInvoiceInput({ invoiceNo: ' 044001900111 ', amount: '1,216.5', invoiceDate: '2026-11-20', taxRate: '6%' }, today))
      .toEqual({ value: { invoiceNo: '044001900111', amount: '1216.50', invoiceDate: '2026-11-20', taxRate: '6.00' }, problems: [] });
  });
  it('names every bad field', () => {
    const r = checkInvoiceInput({ invoiceNo: 'x', amount: '0', invoiceDate: '2026-11-28', taxRate: '101' }, today);
    expect(r.value).toBeUndefined();
    expect(r.problems.map((p) => [p.field, p.message])).toEqual([
      ['invoiceNo', 'invoices:errors.badNumber'], ['amount', 'invoices:errors.badAmount'],
      ['invoiceDate', 'invoices:errors.futureDate'], ['taxRate', 'invoices:errors.badTaxRate'],
    ]);
  });
  it('accepting needs a reason only when the amount differs; rejecting always does', () => {
    expect(checkDecisionProblem('accept', '100.00', '100.00', '')).toBeNull();
    expect(checkDecisionProblem('accept', '99.99', '100.00', '')?.message).toBe('invoices:errors.mismatchReasonRequired');
    expect(checkDecisionProblem('accept', '99.99', '100.00', '差 0.01 元为银行手续费')).toBeNull();
    expect(checkDecisionProblem('reject', '100.00', '100.00', ' ')?.message).toBe('invoices:errors.rejectReasonRequired');
    expect(checkDecisionProblem('maybe', '1', '1', 'x')?.field).toBe('decision');
  });
});
