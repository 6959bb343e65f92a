import { creditCodeCheckChar } from '../partners/credit-code.util';
import { formatRowError } from '../../core/csv/csv.util';
import { tDeep } from '../../core/i18n/i18n';
import { matchRegion } from '../regions/region-match.util';
import { ImportRegions, validatePartnerRows as validate } from './partner-import.util';

const LIST = [
  { name: '贵阳市', nameEn: 'Guiyang', aliases: ['贵阳'], parent: null }, { name: '安顺市', nameEn: 'Anshun', aliases: ['安顺'], parent: null },
  { name: '南明区', nameEn: 'Nanming', aliases: [], parent: '贵阳市' },
];
const regions: ImportRegions = { match: (s) => matchRegion(s, LIST), list: '贵阳市、安顺市' };
const validatePartnerRows = (rows: Parameters<typeof validate>[0], existing: Parameters<typeof validate>[1]) => validate(rows, existing, regions);
const en = (e: { row: number; column: string; message: string; params?: Record<string, unknown> }) => ({ row: e.row, column: e.column, message: tDeep('en', e.message, e.params) });

const row = (n: number, over: Record<string, string> = {}) => ({
  row: n + 1,
  values: {
    code: `GZ-P-${String(n).padStart(5, '0')}`, name: `Partner ${n}`, credit_code: testCreditCode(n), cooperation_type: 'sales', tier: 'B',
    region: 'Guiyang', contact_name: 'Li', contact_phone: '0851-1234567', contact_email: `p${n}@example.com`, bank_name: 'ICBC', bank_account: '6222020000001234', status: 'active', ...over,
  },
});
/** same shape as test/support testCreditCode (that module loads the whole app, too heavy for a unit spec) */
const testCreditCode = (n: number) => { const body = `91520100${String(n).padStart(9, '0')}`; return body + creditCodeCheckChar(body); };
const none = { codes: new Set<string>(), creditCodes: new Set<string>(), names: new Set<string>() };

describe('partner import rows', () => {
  it('accepts good rows', () => {
    const { partners, errors } = validatePartnerRows([row(1), row(2, { status: 'suspended', tier: 'a' })], none);
    expect(errors).toEqual([]);
    expect(partners.map((p) => [p.code, p.tier, p.status])).toEqual([['GZ-P-00001', 'B', 'active'], ['GZ-P-00002', 'A', 'suspended']]);
  });

  it('reports every problem with row and column', () => {
    const { errors } = validatePartnerRows([
      row(1),
      row(2, { code: 'GZ-P-00001', credit_code: '91350100M000100Y44', cooperation_type: 'resale', tier: 'D', status: 'exited', contact_email: 'no-at-sign' }),
    ], none);
    expect(errors.map(en)).toEqual([
      { row: 3, column: 'code', message: 'GZ-P-00001 appears twice in the file (also row 2)' },
      { row: 3, column: 'credit_code', message: 'check character is wrong: expected 3, got 4 (mistyped code?)' },
      { row: 3, column: 'cooperation_type', message: 'must be one of sales, service, sales_and_service (got "resale")' },
      { row: 3, column: 'tier', message: 'must be A, B or C (got "D")' },
      { row: 3, column: 'status', message: 'must be active or suspended (got "exited")' },
      { row: 3, column: 'contact_email', message: '"no-at-sign" is not an email address' },
    ]);
  });

  it('refuses codes, credit codes and names that already exist', () => {
    const existing = { codes: new Set(['GZ-P-00001']), creditCodes: new Set([testCreditCode(1)]), names: new Set(['partner 1']) };
    const messages = validatePartnerRows([row(1)], existing).errors.map(en).map((e) => `${e.column}: ${e.message}`);
    expect(messages).toEqual(['code: GZ-P-00001 already exists', `credit_code: a partner with credit code ${testCreditCode(1)} already exists`, 'name: a partner named "Partner 1" already exists']);
  });

  it('requires the key columns', () => {
    const { errors } = validatePartnerRows([row(1, { code: '', tier: '', status: '' })], none);
    expect(errors.map((e) => e.column)).toEqual(['code', 'tier', 'status']);
  });

  it('maps region spellings to the list and refuses unknown ones with the list (zh-CN row message)', () => {
    const { partners, errors } = validatePartnerRows([row(1, { region: 'Anshun' }), row(2, { region: ' 贵阳 ' }), row(3, { region: 'Shanghai' })], none);
    expect(partners.slice(0, 2).map((p) => p.region)).toEqual(['安顺市', '贵阳市']);
    expect(errors).toEqual([{ row: 4, column: 'region', message: 'regions:errors.unknown', params: { value: 'Shanghai', list: '贵阳市、安顺市' } }]);
    expect(formatRowError(errors[0], (k, p) => tDeep('zh-CN', k, p))).toMatch(/^第 4 行.*region.*Shanghai.*贵阳市、安顺市/);
  });

  it('words row errors in Chinese', () => {
    const { errors } = validatePartnerRows([row(1, { tier: 'D' })], none);
    expect(formatRowError(errors[0], (k, p) => tDeep('zh-CN', k, p))).toBe('第 2 行，列 tier：须为 A、B 或 C（实为“D”）');
  });
});
