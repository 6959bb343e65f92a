import { filterLines, parseReportFilter } from './report-filter.util';

describe('report filters', () => {
  const today = '2026-11-27';
  it('defaults to the last closed quarter and the four quarters up to now', () => {
    const f = parseReportFilter({}, ['period', 'from', 'to'], today);
    expect(f).toEqual({ period: '2026Q3', from: '2026Q1', to: '2026Q4' });
  });
  it('keeps valid values and drops malformed ones', () => {
    const f = parseReportFilter({ period: '2025Q2', from: '2026Q4', to: '2025Q1', tier: 'B', stage: 'maturity', region: ' 遵义市 ', q: 'P-1', target: '95.5' },
      ['period', 'from', 'to', 'tier', 'stage', 'region', 'q', 'target'], today);
    expect(f).toEqual({ period: '2025Q2', from: '2025Q1', to: '2026Q4', tier: 'B', stage: 'maturity', region: '遵义市', q: 'P-1', target: '95.5' });
    const bad = parseReportFilter({ period: "2026Q5'; drop", tier: 'Z', stage: 'x', target: '101', q: ['a'] }, ['period', 'tier', 'stage', 'target', 'q'], today);
    expect(bad).toEqual({ period: '2026Q3', from: '2026Q1', to: '2026Q4' });
  });
  it('starts a heavy range report on the last closed quarter', () => {
    expect(parseReportFilter({}, ['from', 'to'], today, { closedRange: true })).toMatchObject({ from: '2026Q3', to: '2026Q3' });
    expect(parseReportFilter({ from: '2026Q1' }, ['from', 'to'], today, { closedRange: true })).toMatchObject({ from: '2026Q1', to: '2026Q3' });
  });
  it('ignores filters the report does not use', () => {
    expect(parseReportFilter({ tier: 'A' }, ['period'], today).tier).toBeUndefined();
  });
  it('lists the set filters for the export header', () => {
    expect(filterLines({ period: '2026Q3', from: '2026Q1', to: '2026Q4', region: '贵阳市' }, ['period', 'region', 'tier'])).toEqual([['reports:filter.period', '2026Q3'], ['reports:filter.region', '贵阳市']]);
  });
});
