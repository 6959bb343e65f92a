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
    const r = validateCustomerRows([row(2), row(3, { partner_code: '', assigned_from: '', class: 'c', stage: 'Churn' })], ctx);
    expect(r.errors).toEqual([]);
    expect(r.ok.map((x) => [x.partnerId, x.customerClass, x.stage])).toEqual([[1, 'A', 'development'], [null, 'C', 'churn']]);
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
    expect(r.errors[4].message).toMatch(/suspended/);
  });
  it('flags a duplicate code within the file', () => {
    const r = validateCustomerRows([row(2, { code: 'X' }), row(3, { code: 'X' })], ctx);
    expect(r.errors).toEqual([{ row: 3, column: 'code', message: 'duplicate of row 2' }]);
  });
});
