import { RuleViolation } from '../../core/web/errors';
import { checkPartnerEdit, contractEndReached, PartnerEditableField } from './master-data.util';

const stored: Record<PartnerEditableField, string | null> = {
  contactName: '张三', contactPhone: '0851-86000000', contactEmail: 'a@example.cn', address: null, region: '贵阳市',
  cooperationType: 'sales', contractSignedOn: '2025-01-01', contractStartOn: '2025-01-01', contractEndOn: '2027-12-31',
};

function refusal(fn: () => unknown): { message: string; field?: string } {
  try { fn(); } catch (e) { if (e instanceof RuleViolation) return { message: e.message, field: e.field }; throw e; }
  throw new Error('not refused');
}

describe('partner master-data edit rule', () => {
  it('overlays the sent fields, trims, and keeps the others', () => {
    const m = checkPartnerEdit(stored, { contactName: ' 李四 ', address: '贵阳市观山湖区 1 号', contractEndOn: '2026-06-30' }, 'active');
    expect(m).toEqual({ ...stored, contactName: '李四', address: '贵阳市观山湖区 1 号', contractEndOn: '2026-06-30' });
  });

  it('refuses blanks, a bad phone or e-mail, an unknown type and impossible dates, naming the field', () => {
    expect(refusal(() => checkPartnerEdit(stored, { contactName: '  ' }, 'active'))).toEqual({ message: 'partners:edit.errors.contactName', field: 'contactName' });
    expect(refusal(() => checkPartnerEdit(stored, { contactPhone: 'call me' }, 'active')).field).toBe('contactPhone');
    expect(refusal(() => checkPartnerEdit(stored, { contactEmail: 'nobody' }, 'active')).field).toBe('contactEmail');
    expect(refusal(() => checkPartnerEdit(stored, { cooperationType: 'reseller' }, 'active')).field).toBe('cooperationType');
    expect(refusal(() => checkPartnerEdit(stored, { contractEndOn: '2026-02-30' }, 'active'))).toEqual({ message: 'partners:edit.errors.date', field: 'contractEndOn' });
  });

  it('keeps the contract dates in order and the signed date of a contracted partner', () => {
    expect(refusal(() => checkPartnerEdit(stored, { contractStartOn: '2026-01-01', contractEndOn: '2025-12-31' }, 'active')).message).toBe('partners:edit.errors.endBeforeStart');
    expect(refusal(() => checkPartnerEdit({ ...stored, contractStartOn: null }, { contractSignedOn: '2026-01-01', contractEndOn: '2025-12-31' }, 'active')).message).toBe('partners:edit.errors.endBeforeSigned');
    expect(refusal(() => checkPartnerEdit(stored, { contractSignedOn: '' }, 'active')).field).toBe('contractSignedOn');
    expect(checkPartnerEdit({ ...stored, contractSignedOn: null }, { contractSignedOn: '' }, 'applied').contractSignedOn).toBeNull();
    expect(checkPartnerEdit(stored, { contractEndOn: '' }, 'active').contractEndOn).toBeNull();
  });

  it('asks for an exit evaluation only when the end moved to a day already reached', () => {
    expect(contractEndReached('2027-12-31', '2026-06-30', '2026-11-27')).toBe(true);
    expect(contractEndReached('2026-06-30', '2026-06-30', '2026-11-27')).toBe(false);
    expect(contractEndReached('2026-06-30', '2027-06-30', '2026-11-27')).toBe(false);
    expect(contractEndReached('2026-06-30', null, '2026-11-27')).toBe(false);
    expect(contractEndReached(null, '2026-11-27', '2026-11-27')).toBe(true);
  });
});
