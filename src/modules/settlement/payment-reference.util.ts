import { isValidIsoDate } from '../../core/period/period.util';

/** One refusal of a payment entry: the form field / file column and a catalogue key. */
export interface PaymentProblem { column: 'payment_reference' | 'paid_on'; message: string; params?: Record<string, unknown> }

export const PAYMENT_REFERENCE_MAX = 100;

/**
 * A payment as the bank booked it (#16): a reference (the bank's voucher number) and the business date it was paid,
 * never a day after today. `today` is the business date (ISO).
 */
export function paymentProblems(reference: string | undefined, paidOn: string | undefined, today: string): PaymentProblem[] {
  const problems: PaymentProblem[] = [];
  const ref = (reference ?? '').trim();
  if (!ref) problems.push({ column: 'payment_reference', message: 'settlement:payment.referenceRequired' });
  else if (ref.length > PAYMENT_REFERENCE_MAX) problems.push({ column: 'payment_reference', message: 'settlement:payment.referenceTooLong', params: { max: PAYMENT_REFERENCE_MAX } });
  const day = (paidOn ?? '').trim();
  if (!isValidIsoDate(day)) problems.push({ column: 'paid_on', message: 'settlement:payment.badDate', params: { value: day } });
  else if (day > today) problems.push({ column: 'paid_on', message: 'settlement:payment.futureDate', params: { value: day, today } });
  return problems;
}
