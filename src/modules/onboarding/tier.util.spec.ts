import { assertValidThresholds, proposeTier } from './tier.util';

describe('tier proposal from the last four scores', () => {
  it('proposes A at an average of exactly 90', () => {
    expect(proposeTier(['92.00', '88.00', '90.00', '90.00'])).toEqual({ tier: 'A', average: '90.00', quarters: 4 });
  });

  it('proposes B from 75 up to just under 90', () => {
    expect(proposeTier(['89.99', '89.99', '89.99', '89.99'])?.tier).toBe('B');
    expect(proposeTier(['75', '75', '75', '75'])?.tier).toBe('B');
  });

  it('proposes C below 75', () => {
    expect(proposeTier(['74.99', '75', '75', '75'])).toEqual({ tier: 'C', average: '75.00', quarters: 4 });
    expect(proposeTier(['70', '75', '75', '75'])).toEqual({ tier: 'C', average: '73.75', quarters: 4 });
  });

  it('only uses the newest four scores', () => {
    expect(proposeTier(['95', '95', '95', '95', '10'])).toEqual({ tier: 'A', average: '95.00', quarters: 4 });
  });

  it('decides on the unrounded average', () => {
    // 89.995 rounds to 90.00 for display but is below 90
    expect(proposeTier(['89.99', '90.00'])).toEqual({ tier: 'B', average: '90.00', quarters: 2 });
  });

  it('proposes nothing without scores', () => {
    expect(proposeTier([])).toBeNull();
  });

  it('uses configured thresholds', () => {
    expect(proposeTier(['80'], { a: '80', b: '60' })?.tier).toBe('A');
    expect(proposeTier(['59.99'], { a: '80', b: '60' })?.tier).toBe('C');
  });

  it('validates thresholds', () => {
    expect(assertValidThresholds({ a: '85', b: '70.5' })).toEqual({ a: '85.00', b: '70.50' });
    expect(() => assertValidThresholds({ a: '70', b: '70' })).toThrow('onboarding:errors.thresholdOrder');
    expect(() => assertValidThresholds({ a: 'x', b: '70' })).toThrow('onboarding:errors.thresholdRange');
  });
});
