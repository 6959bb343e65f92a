import { cleanFileName, effectiveType, kindsOf, parseLimits, typeLabels } from './document-kinds.util';

describe('document kinds', () => {
  it('reads size limits per kind from the setting, keeping defaults for the others', () => {
    const l = parseLimits('invoice=5, record_evidence=0.5');
    expect(l.invoice).toBe(5 * 1024 * 1024);
    expect(l.record_evidence).toBe(512 * 1024);
    expect(l.qualification).toBe(20 * 1024 * 1024);
    expect(() => parseLimits('nonsense=3')).toThrow(/DOCUMENT_LIMITS_MB/);
    expect(() => parseLimits('invoice=500')).toThrow(/between/);
  });

  it('takes the type from the detected bytes; old Office containers only by their extension', () => {
    expect(effectiveType({ mime: 'image/png' }, 'photo.pdf')).toBe('image/png');
    expect(effectiveType(undefined, 'photo.png')).toBeNull();
    expect(effectiveType({ mime: 'application/x-cfb' }, '走访记录.DOC')).toBe('application/msword');
    expect(effectiveType({ mime: 'application/x-cfb' }, 'thing.msi')).toBeNull();
  });

  it('invoices are PDF or images; a record carries evidence', () => {
    expect(typeLabels('invoice')).toEqual(['PDF', 'JPEG', 'PNG']);
    expect(typeLabels('record_evidence')).toContain('Word');
    expect(kindsOf('violation')).toEqual(['violation_evidence', 'violation_response']);
  });

  it('keeps a Chinese file name but no path or control characters', () => {
    expect(cleanFileName('C:\\Users\\张三\\营业执照（副本）.pdf')).toBe('营业执照（副本）.pdf');
    expect(cleanFileName('../../etc/passwd\u0000')).toBe('passwd');
    expect(cleanFileName('')).toBe('file');
  });
});
