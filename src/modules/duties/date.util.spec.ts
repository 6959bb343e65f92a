import { addDays, diffDays, localDateOf, localMinuteOf } from './date.util';

describe('business date helpers', () => {
  it('adds and counts days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(diffDays('2026-07-01', '2026-09-30')).toBe(91);
  });
  it('formats the local wall time the way a datetime-local input and the record parser use it', () => {
    const at = new Date(2026, 10, 25, 8, 5, 59); // local time
    expect(localDateOf(at)).toBe('2026-11-25');
    expect(localMinuteOf(at)).toBe('2026-11-25T08:05');
    expect(new Date(localMinuteOf(at)).getTime()).toBe(new Date(2026, 10, 25, 8, 5).getTime());
  });
});
