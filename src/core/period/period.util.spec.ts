import { isDateInPeriod, isValidIsoDate, nextPeriod, parsePeriod, periodOfDate, previousPeriod } from './period.util';

describe('periods', () => {
  it('parses quarters with their first and last day', () => {
    expect(parsePeriod('2026Q3')).toMatchObject({ start: '2026-07-01', end: '2026-09-30', year: 2026, quarter: 3 });
    expect(parsePeriod('2024Q1').end).toBe('2024-03-31');
    expect(parsePeriod('2026Q4').end).toBe('2026-12-31');
  });
  it('rejects malformed periods', () => {
    for (const bad of ['2026Q5', '2026q3', '26Q3', '', '2026-Q3']) expect(() => parsePeriod(bad)).toThrow('errors:period.invalid');
  });
  it('validates real calendar dates only', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2026-13-01')).toBe(false);
    expect(isValidIsoDate('2026-7-1')).toBe(false);
  });
  it('maps dates to periods and back', () => {
    expect(periodOfDate('2026-09-30').code).toBe('2026Q3');
    expect(periodOfDate('2026-10-01').code).toBe('2026Q4');
    expect(isDateInPeriod('2026-06-30', parsePeriod('2026Q3'))).toBe(false);
    expect(previousPeriod('2026Q1').code).toBe('2025Q4');
    expect(nextPeriod('2026Q4').code).toBe('2027Q1');
  });
});
