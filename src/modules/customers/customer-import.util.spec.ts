import { formatRowError } from '../../core/csv/csv.util';
import { tDeep } from '../../core/i18n/i18n';
import { matchRegion } from '../regions/region-match.util';
import { validateCustomerRows } from './customer-import.util';

const ctx = {
  existingCodes: new Set(['OLD-1']),
  partners: new Map([['P1', { id: 1, status: 'active' }], ['P2', { id: 2, status: 'suspended' }]]),
  today: '2026-11-25',
};
const row = (row: number, o: Record<string, string> = {}) => ({
  row, values: { code: `C-${row}`, name: 'Acme', industry: 'mining', region: 'Guiyang', class: 'A', stage: 'development', partner_code: 'P1', assigned_from: '2026-01-01', ...o },
});

describe('customer import rows', () => {
  it('accepts clean rows, with and without a partner', () => {
    const r = validateCustomerRows([row(2), row(3, { partner_code: '', assigned_from: '', class: 'c', stage: 'Churn' }), row(4, { stage: '成熟期' })], ctx);
    expect(r.errors).toEqual([]);
    expect(r.ok.map((x) => [x.partnerId, x.customerClass, x.stage])).toEqual([[1, 'A', 'development'], [null, 'C', 'churn'], [1, 'A', 'maturity']]);
  });
  it('reports each problem with row and column', () => {
    const r = validateCustomerRows([
      row(2, { code: 'OLD-1' }), row(3, { class: 'D' }), row(4, { stage: 'growth' }), row(5, { partner_code: 'NOPE' }),
      row(6, { partner_code: 'P2' }), row(7, { assigned_from: '2027-01-01' }), row(8, { code: 'C-2' }), row(9, { name: '' }),
    ], ctx);
    expect(r.ok).toHaveLength(1);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'code'], [3, 'class'], [4, 'stage'], [5, 'partner_code'], [6, 'partner_code'], [7, 'assigned_from'], [9, 'name'],
    ]);
    expect(r.errors[4]).toMatchObject({ message: 'customers:csv.partnerInactive', params: { code: 'P2', status: 'partners:status.suspended' } });
  });
  it('flags a duplicate code within the file', () => {
    const r = validateCustomerRows([row(2, { code: 'X' }), row(3, { code: 'X' })], ctx);
    expect(r.errors).toEqual([{ row: 3, column: 'code', message: 'customers:csv.duplicateRow', params: { row: 2 } }]);
  });
  it('maps region spellings to the list and refuses unknown ones, listing the regions', () => {
    const names = [
      { name: '贵阳市', nameEn: 'Guiyang', aliases: ['贵阳'], parent: null },
      { name: '安顺市', nameEn: 'Anshun', aliases: ['安顺'], parent: null },
    ];
    const withRegions = { ...ctx, region: (s: string) => matchRegion(s, names), regionList: '贵阳市、安顺市' };
    const r = validateCustomerRows([row(2, { region: 'Anshun' }), row(3, { region: 'Atlantis' })], withRegions);
    expect(r.ok.map((x) => x.region)).toEqual(['安顺市']);
    expect(r.errors).toEqual([{ row: 3, column: 'region', message: 'regions:errors.unknown', params: { value: 'Atlantis', list: '贵阳市、安顺市' } }]);
    expect(formatRowError(r.errors[0], (k, p) => tDeep('zh-CN', k, p))).toBe('第 3 行，列 region：“Atlantis”不是列表中的地区；可选：贵阳市、安顺市（或其区县）');
  });
  it('says what is wrong in Chinese, row by row', () => {
    const r = validateCustomerRows([row(12, { class: 'D', stage: 'growth' })], ctx);
    const lines = r.errors.map((e) => formatRowError(e, (k, p) => tDeep('zh-CN', k, p)));
    expect(lines[0]).toBe('第 12 行，列 class：客户等级须为 A、B 或 C');
    expect(lines[1]).toBe('第 12 行，列 stage：须为以下之一：获取期、发展期、成熟期、衰退期、流失期');
  });
});
