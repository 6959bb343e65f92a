import { inquiryAmountProblem } from './inquiry-amount.util';

describe('inquiry amount bounds', () => {
  it('refuses zero', () => {
    expect(inquiryAmountProblem('0.00', '1000.00')).toEqual({ message: 'settlement:errors.inquiryAmountZero' });
  });
  it('refuses more than the line accrued, either sign', () => {
    expect(inquiryAmountProblem('1000.01', '1000.00')).toEqual({ message: 'settlement:errors.inquiryAmountTooHigh', params: { max: '1000.00' } });
    expect(inquiryAmountProblem('-1000.01', '1000.00')?.message).toBe('settlement:errors.inquiryAmountTooHigh');
  });
  it('accepts up to the accrued amount', () => {
    expect(inquiryAmountProblem('1000.00', '1000.00')).toBeNull();
    expect(inquiryAmountProblem('-0.01', '1000.00')).toBeNull();
  });
});
