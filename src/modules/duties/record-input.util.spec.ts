import { tDeep } from '../../core/i18n/i18n';
import { checkRecordInput, splitAttachmentNames } from './record-input.util';

const now = new Date('2026-11-25T12:00:00Z');
const base = { recordType: 'visit', occurredAt: '2026-11-20T09:30:00Z', description: 'quarterly visit' };

describe('service record input', () => {
  it('accepts a plain visit', () => {
    const r = checkRecordInput(base, now);
    expect(r.errors).toEqual([]);
    expect(r.value!.occurredAt.toISOString()).toBe('2026-11-20T09:30:00.000Z');
    expect(r.value!.amount).toBeNull();
  });
  it('refuses a future time with the field named', () => {
    expect(checkRecordInput({ ...base, occurredAt: '2026-11-26T09:00:00Z' }, now).errors).toEqual([{ field: 'occurredAt', message: 'duties:record.future' }]);
  });
  it('needs the receipt time for a complaint, not after handling', () => {
    expect(checkRecordInput({ ...base, recordType: 'complaint_handled' }, now).errors[0].field).toBe('receivedAt');
    expect(checkRecordInput({ ...base, recordType: 'complaint_handled', receivedAt: '2026-11-20T10:00:00Z' }, now).errors[0].message).toBe('duties:record.receivedAfter');
    expect(checkRecordInput({ ...base, recordType: 'complaint_handled', receivedAt: '2026-11-20T06:00:00Z' }, now).value!.receivedAt).toBeInstanceOf(Date);
  });
  it('needs an amount for arrears and checks its format', () => {
    expect(checkRecordInput({ ...base, recordType: 'arrears_collected' }, now).errors[0].field).toBe('amount');
    expect(checkRecordInput({ ...base, amount: '12.345' }, now).errors[0].field).toBe('amount');
    expect(checkRecordInput({ ...base, recordType: 'arrears_collected', amount: '1200.5' }, now).value!.amount).toBe('1200.50');
  });
  it('reports several problems at once', () => {
    const r = checkRecordInput({ recordType: 'party', occurredAt: 'yesterday', description: '' }, now);
    expect(r.errors.map((e) => e.field)).toEqual(['recordType', 'occurredAt', 'description']);
  });
  it('splits attachment names and refuses paths', () => {
    expect(splitAttachmentNames('a.pdf; b.jpg,')).toEqual(['a.pdf', 'b.jpg']);
    expect(checkRecordInput({ ...base, attachmentNames: ['../etc/passwd'] }, now).errors[0].field).toBe('attachmentNames');
  });
  it('says it in Chinese, listing the record types', () => {
    const r = checkRecordInput({ recordType: 'party', occurredAt: '2026-11-20T09:30', description: 'x', amount: '12.345' }, now);
    const zh = r.errors.map((e) => tDeep('zh-CN', e.message, e.params));
    expect(zh[0]).toMatch(/^须为以下服务类型之一：上门拜访、业务宣传/);
    expect(r.errors[1].field).toBe('amount');
    expect(zh[1]).not.toMatch(/[a-z]{4,}/);
  });
});
