import { accuracyPercent, quarterOver, sampleSize } from './sample-size.util';

describe('sampleSize', () => {
  const rule = { percent: 5, min: 3 };
  it('takes at least the minimum, capped at the record count', () => {
    expect(sampleSize(0, rule)).toBe(0);
    expect(sampleSize(1, rule)).toBe(1);
    expect(sampleSize(2, rule)).toBe(2);
    expect(sampleSize(3, rule)).toBe(3);
    expect(sampleSize(40, rule)).toBe(3); // 5 % = 2 < 3
  });
  it('takes the share rounded up once it exceeds the minimum', () => {
    expect(sampleSize(60, rule)).toBe(3);
    expect(sampleSize(61, rule)).toBe(4); // 3.05 → 4
    expect(sampleSize(100, rule)).toBe(5);
    expect(sampleSize(1000, rule)).toBe(50);
  });
  it('follows other settings', () => {
    expect(sampleSize(10, { percent: 100, min: 0 })).toBe(10);
    expect(sampleSize(10, { percent: 0, min: 0 })).toBe(0);
    expect(sampleSize(10, { percent: 0, min: 4 })).toBe(4);
    expect(sampleSize(7, { percent: 10, min: 20 })).toBe(7);
  });
});

describe('accuracyPercent', () => {
  it('is confirmed / verified in percent with two decimals, null before any verification', () => {
    expect(accuracyPercent(0, 0)).toBeNull();
    expect(accuracyPercent(3, 3)).toBe('100.00');
    expect(accuracyPercent(0, 4)).toBe('0.00');
    expect(accuracyPercent(2, 3)).toBe('66.67');
    expect(accuracyPercent(1, 8)).toBe('12.50');
  });
});

describe('quarterOver', () => {
  it('is true from the day after the quarter\'s last day', () => {
    expect(quarterOver('2026-09-30', '2026-09-29')).toBe(false);
    expect(quarterOver('2026-09-30', '2026-09-30')).toBe(false);
    expect(quarterOver('2026-09-30', '2026-10-01')).toBe(true);
    expect(quarterOver('2026-09-30', '2027-01-01')).toBe(true);
  });
});
