import { dailyCron } from './duties.jobs';

describe('daily schedule', () => {
  it('turns a local time into a daily cron expression', () => {
    expect(dailyCron('07:00')).toBe('0 7 * * *');
    expect(dailyCron('23:45')).toBe('45 23 * * *');
  });
});
