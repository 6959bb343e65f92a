import { dec, money } from '../../core/money/money.util';

/**
 * A partner's inquiry names an amount in question: never zero, and at most what the partner accrued on that line
 * (a larger claim is a conversation with the channel manager, not an inquiry). Null when the amount is acceptable.
 */
export function inquiryAmountProblem(amount: string, accrued: string): { message: string; params?: Record<string, unknown> } | null {
  const a = dec(amount);
  if (a.isZero()) return { message: 'settlement:errors.inquiryAmountZero' };
  const max = dec(accrued).abs();
  if (a.abs().gt(max)) return { message: 'settlement:errors.inquiryAmountTooHigh', params: { max: money(max) } };
  return null;
}
