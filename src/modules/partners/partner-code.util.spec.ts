import { CERTIFICATION_ID_PATTERN, formatCertificationId, formatPartnerCode, PARTNER_CODE_PATTERN, regionPrefix } from './partner-code.util';

describe('partner codes and certification ids', () => {
  it('formats a partner code with a five-digit sequence', () => {
    expect(formatPartnerCode('GZ', 42)).toBe('GZ-P-00042');
    expect(formatPartnerCode('GY', 123456)).toBe('GY-P-123456');
    expect(PARTNER_CODE_PATTERN.test('GZ-P-00042')).toBe(true);
  });

  it('refuses a bad prefix or sequence', () => {
    expect(() => formatPartnerCode('gz', 1)).toThrow(/region prefix/);
    expect(() => formatPartnerCode('GZ', 0)).toThrow(/starts at 1/);
  });

  it('uses the region list\'s prefix, else GZ', () => {
    expect(regionPrefix('ZY')).toBe('ZY');
    expect(regionPrefix('QDN')).toBe('QDN');
    expect(regionPrefix(null)).toBe('GZ');
    expect(regionPrefix('')).toBe('GZ');
    expect(regionPrefix('toolong')).toBe('GZ');
  });

  it('formats a certification id', () => {
    expect(formatCertificationId(2026, 42)).toBe('CERT-2026-000042');
    expect(CERTIFICATION_ID_PATTERN.test(formatCertificationId(2026, 1234567))).toBe(true);
    expect(() => formatCertificationId(26, 1)).toThrow(/year/);
  });
});
