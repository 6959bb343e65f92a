import { lastQuarters, megabytes, percentText, trendOf, weekOf } from './dashboard.util';

describe('dashboard helpers', () => {
  it('lists the quarters ending with a period, across years', () => {
    expect(lastQuarters('2026Q2', 4)).toEqual(['2025Q3', '2025Q4', '2026Q1', '2026Q2']);
    expect(lastQuarters('2026Q3', 8)).toHaveLength(8);
    expect(lastQuarters('2026Q3', 8)[0]).toBe('2024Q4');
  });
  it('tells the trend of Y with a signed difference', () => {
    expect(trendOf('91.50', '88.00')).toEqual({ dir: 'up', delta: '+3.50' });
    expect(trendOf('80.00', '88.25')).toEqual({ dir: 'down', delta: '-8.25' });
    expect(trendOf('80.00', '80.00')).toEqual({ dir: 'flat', delta: '0.00' });
    expect(trendOf('80.00', null).dir).toBe('new');
  });
  it('finds Monday to Sunday of a date', () => {
    expect(weekOf('2026-11-27')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(weekOf('2026-11-23')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(weekOf('2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  });
  it('computes percentages and megabytes with decimals', () => {
    expect(percentText(2, 3)).toBe('66.7');
    expect(percentText(0, 0)).toBe('');
    expect(megabytes('1572864')).toBe('1.50');
  });
});
