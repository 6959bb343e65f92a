import { formatDate, formatDateTime, formatMoney, formatYuan } from './format.util';

describe('format.util (business time zone Asia/Shanghai unless TZ says otherwise)', () => {
  const tz = process.env.TZ;
  beforeAll(() => { process.env.TZ = 'Asia/Shanghai'; });
  afterAll(() => { process.env.TZ = tz; });

  it('shows an instant in the business zone, to the minute', () => {
    expect(formatDateTime(new Date('2026-09-01T06:05:59Z'))).toBe('2026-09-01 14:05');
    expect(formatDateTime('2026-12-31T16:30:00Z')).toBe('2027-01-01 00:30');
  });
  it('keeps ISO business dates and converts instants to the local date', () => {
    expect(formatDate('2026-09-01')).toBe('2026-09-01');
    expect(formatDate(new Date('2026-09-30T17:00:00Z'))).toBe('2026-10-01');
    expect(formatDate(null)).toBe('');
  });
  it('formats money with separators, two decimals, half away from zero', () => {
    expect(formatMoney('1234.5')).toBe('1,234.50');
    expect(formatMoney('-1234567.005')).toBe('-1,234,567.01');
    expect(formatMoney('0.005')).toBe('0.01');
    expect(formatYuan('1234.5')).toBe('¥1,234.50');
    expect(formatYuan('-12')).toBe('-¥12.00');
  });
});
