import { CsvRowError } from '../../core/csv/csv.util';
import { dec } from '../../core/money/money.util';
import { paymentProblems } from './payment-reference.util';

export interface PaymentLine { id: string; batch_id: number; code: string; total_pay: string; status: string; paid_on: string | null }
export interface LinePayment { lineId: string; reference: string; paidOn: string }

/**
 * The bank's payment confirmation against the batches' lines (#16): each row must name an unpaid line of an exported
 * batch, with its exact total pay, the bank's reference and a date up to today, and a line that may be paid (an
 * accepted invoice or a reason: not in `blocked`); every unpaid line with pay must be listed. Errors by row and column
 * (catalogue keys); the payments per batch when there are none.
 */
export function matchPaymentRows(rows: { row: number; values: Record<string, string> }[], lines: PaymentLine[], blocked: ReadonlySet<string>, today: string): { errors: CsvRowError[]; entries: Map<number, LinePayment[]> } {
  const errors: CsvRowError[] = [];
  const key = (b: number | string, c: string) => `${b}|${c}`;
  const expected = new Map(lines.map((l) => [key(l.batch_id, l.code), l]));
  const seen = new Set<string>();
  const entries = new Map<number, LinePayment[]>();
  for (const { row, values: v } of rows) {
    const line = expected.get(key(v.batch_id, v.partner_code));
    if (!line) { errors.push({ row, column: 'partner_code', message: 'settlement:csv.noLineForPartner', params: { batch: v.batch_id, code: v.partner_code } }); continue; }
    if (line.status !== 'exported') errors.push({ row, column: 'batch_id', message: 'settlement:csv.batchNotExported', params: { batch: v.batch_id, status: `settlement:batchStatus.${line.status}` } });
    else if (line.paid_on) errors.push({ row, column: 'partner_code', message: 'settlement:payment.alreadyPaidRow', params: { code: line.code, date: line.paid_on } });
    else if (blocked.has(line.id)) errors.push({ row, column: 'partner_code', message: 'invoices:errors.blockedRow', params: { code: line.code } });
    if (!/^-?\d+(\.\d{1,2})?$/.test(v.paid_amount) || !dec(v.paid_amount).eq(line.total_pay)) errors.push({ row, column: 'paid_amount', message: 'settlement:csv.paidAmountMismatch', params: { value: v.paid_amount, expected: line.total_pay } });
    for (const p of paymentProblems(v.payment_reference, v.paid_on, today)) errors.push({ row, column: p.column, message: p.message, params: p.params });
    if (seen.has(key(v.batch_id, v.partner_code))) errors.push({ row, column: 'partner_code', message: 'settlement:csv.listedTwice' });
    seen.add(key(v.batch_id, v.partner_code));
    entries.set(line.batch_id, [...(entries.get(line.batch_id) ?? []), { lineId: line.id, reference: (v.payment_reference ?? '').trim(), paidOn: (v.paid_on ?? '').trim() }]);
  }
  for (const l of lines) if (dec(l.total_pay).gt(0) && !l.paid_on && !seen.has(key(l.batch_id, l.code))) errors.push({ row: 0, column: '(file)', message: 'settlement:csv.missingPayment', params: { code: l.code, batch: l.batch_id, amount: l.total_pay } });
  return { errors, entries };
}
