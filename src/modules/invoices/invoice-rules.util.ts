import { dec, money } from '../../core/money/money.util';
import { isValidIsoDate } from '../../core/period/period.util';

/** One refused field of an invoice (a catalogue key). */
export interface InvoiceProblem { field: 'invoiceNo' | 'amount' | 'invoiceDate' | 'taxRate' | 'reason' | 'decision'; message: string; params?: Record<string, unknown> }
export interface InvoiceInput { invoiceNo?: string; amount?: string; invoiceDate?: string; taxRate?: string }
export interface CleanInvoice { invoiceNo: string; amount: string; invoiceDate: string; taxRate: string }

/** 发票号码: letters, digits and dashes, 8–40 characters (paper and electronic invoices differ in length). */
const INVOICE_NO = /^[A-Za-z0-9-]{8,40}$/;

/** The invoice fields as typed by the partner: checked and normalised, or the problems by field. `today` is the business date. */
export function checkInvoiceInput(input: InvoiceInput, today: string): { value?: CleanInvoice; problems: InvoiceProblem[] } {
  const problems: InvoiceProblem[] = [];
  const invoiceNo = (input.invoiceNo ?? '').trim();
  if (!INVOICE_NO.test(invoiceNo)) problems.push({ field: 'invoiceNo', message: 'invoices:errors.badNumber' });
  const amount = (input.amount ?? '').trim().replace(/,/g, '');
  if (!/^\d{1,14}(\.\d{1,2})?$/.test(amount) || dec(amount).lte(0)) problems.push({ field: 'amount', message: 'invoices:errors.badAmount', params: { value: amount } });
  const invoiceDate = (input.invoiceDate ?? '').trim();
  if (!isValidIsoDate(invoiceDate)) problems.push({ field: 'invoiceDate', message: 'invoices:errors.badDate', params: { value: invoiceDate } });
  else if (invoiceDate > today) problems.push({ field: 'invoiceDate', message: 'invoices:errors.futureDate', params: { value: invoiceDate } });
  const taxRate = (input.taxRate ?? '').trim().replace(/%$/, '');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(taxRate) || dec(taxRate).gt(100)) problems.push({ field: 'taxRate', message: 'invoices:errors.badTaxRate', params: { value: taxRate } });
  if (problems.length) return { problems };
  return { value: { invoiceNo, amount: money(amount), invoiceDate, taxRate: dec(taxRate).toFixed(2) }, problems };
}

/**
 * Finance's check (#16): an invoice whose amount equals the line's total pay may be accepted as it is; accepting a
 * different amount, and any rejection, needs the reason in words.
 */
export function checkDecisionProblem(decision: string, invoiceAmount: string, totalPay: string, reason: string | undefined): InvoiceProblem | null {
  if (decision !== 'accept' && decision !== 'reject') return { field: 'decision', message: 'invoices:errors.badDecision' };
  const matches = dec(invoiceAmount).eq(totalPay);
  if (reason?.trim()) return null;
  if (decision === 'reject') return { field: 'reason', message: 'invoices:errors.rejectReasonRequired' };
  return matches ? null : { field: 'reason', message: 'invoices:errors.mismatchReasonRequired', params: { amount: money(invoiceAmount), totalPay: money(totalPay) } };
}
