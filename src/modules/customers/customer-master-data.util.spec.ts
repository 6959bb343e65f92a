import { RuleViolation } from '../../core/web/errors';
import { checkClassChange, checkCustomerFields, checkNewCustomer } from './customer-master-data.util';

function field(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { if (e instanceof RuleViolation) return e.field; throw e; }
  throw new Error('not refused');
}

describe('customer master data rules', () => {
  it('checks and trims a new customer; the stage defaults to acquisition, the class may be typed in lower case', () => {
    expect(checkNewCustomer({ code: ' GZ-C-001 ', name: ' 贵州某集团 ', industry: '制造业', region: '贵阳市', customerClass: 'b' }))
      .toEqual({ code: 'GZ-C-001', name: '贵州某集团', industry: '制造业', region: '贵阳市', customerClass: 'B', stage: 'acquisition' });
  });

  it('names the refused field', () => {
    const ok = { code: 'C1', name: 'n', industry: 'i', region: 'r', customerClass: 'A' };
    expect(field(() => checkNewCustomer({ ...ok, code: '客户 1' }))).toBe('code');
    expect(field(() => checkNewCustomer({ ...ok, name: ' ' }))).toBe('name');
    expect(field(() => checkNewCustomer({ ...ok, customerClass: 'D' }))).toBe('customerClass');
    expect(field(() => checkNewCustomer({ ...ok, stage: 'growth' }))).toBe('stage');
    expect(field(() => checkCustomerFields({ name: 'x'.repeat(201), industry: 'i', region: 'r' }))).toBe('name');
    expect(field(() => checkCustomerFields({ name: 'n', industry: '', region: 'r' }))).toBe('industry');
  });

  it('a class change needs another class and a reason', () => {
    expect(checkClassChange('C', 'a', '年收入增长，升为 A 类')).toBe('A');
    expect(field(() => checkClassChange('B', 'B', '无'))).toBe('customerClass');
    expect(field(() => checkClassChange('B', 'A', '  '))).toBe('classReason');
    expect(field(() => checkClassChange('B', 'X', 'r'))).toBe('customerClass');
  });
});
