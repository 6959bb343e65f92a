import { creditCodeCheckChar } from '../partners/credit-code.util';
import { validatePartnerRows } from './partner-import.util';

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
    expect(errors).toEqual([
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
    const messages = validatePartnerRows([row(1)], existing).errors.map((e) => `${e.column}: ${e.message}`);
    expect(messages).toEqual(['code: GZ-P-00001 already exists', `credit_code: a partner with credit code ${testCreditCode(1)} already exists`, 'name: a partner named "Partner 1" already exists']);
  });

  it('requires the key columns', () => {
    const { errors } = validatePartnerRows([row(1, { code: '', tier: '', status: '' })], none);
    expect(errors.map((e) => e.column)).toEqual(['code', 'tier', 'status']);
  });
});
