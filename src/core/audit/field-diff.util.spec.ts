import { auditOf, diffFields, normalizeValue } from './field-diff.util';

describe('field diff (master-data history)', () => {
  const FIELDS = ['contactName', 'contactPhone', 'contractEndOn', 'region'] as const;

  it('lists only the fields that changed, old → new', () => {
    const changes = diffFields(FIELDS, { contactName: '张三', contactPhone: '0851-1', contractEndOn: '2026-12-31', region: '贵阳市' },
      { contactName: '李四', contactPhone: '0851-1', contractEndOn: '2026-06-30', region: '贵阳市' });
    expect(changes).toEqual([
      { field: 'contactName', oldValue: '张三', newValue: '李四' },
      { field: 'contractEndOn', oldValue: '2026-12-31', newValue: '2026-06-30' },
    ]);
  });

  it('treats blank and null alike, trims, and skips fields not sent', () => {
    expect(diffFields(FIELDS, { contactName: ' 张三 ', contractEndOn: null }, { contactName: '张三', contractEndOn: '' })).toEqual([]);
    expect(diffFields(FIELDS, { region: '贵阳市' }, { contactName: undefined })).toEqual([]);
    expect(diffFields(FIELDS, { contractEndOn: '2026-12-31' }, { contractEndOn: '' })).toEqual([{ field: 'contractEndOn', oldValue: '2026-12-31', newValue: null }]);
  });

  it('turns dates into ISO days and builds the audit before/after', () => {
    expect(normalizeValue(new Date('2026-06-30T00:00:00Z'))).toBe('2026-06-30');
    expect(auditOf([{ field: 'region', oldValue: '贵阳市', newValue: '遵义市' }])).toEqual({ before: { region: '贵阳市' }, after: { region: '遵义市' } });
  });
});
