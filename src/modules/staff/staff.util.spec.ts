import { certificateNumber, certificateStatus, checkRevoke, checkStaffInput, examPassed, normalisePhone, parseCertificateNumber, publicCertificate, validUntil } from './staff.util';

describe('staff certification rules', () => {
  it('accepts mobile and fixed-line phones and refuses others', () => {
    expect(normalisePhone('+86 138 0851 1234')).toBe('13808511234');
    expect(normalisePhone('0851-86681234')).toBe('0851-86681234');
    expect(() => normalisePhone('12345')).toThrow('staff:errors.badPhone');
    expect(() => checkStaffInput({ name: ' ', phone: '13808511234', role: 'engineer' })).toThrow('staff:errors.badName');
    expect(() => checkStaffInput({ name: '张伟', phone: '13808511234', role: 'boss' })).toThrow('staff:errors.badRole');
    expect(checkStaffInput({ name: ' 张伟 ', phone: '13808511234', role: 'engineer' })).toEqual({ name: '张伟', phone: '13808511234', role: 'engineer' });
  });

  it('passes an exam at or above the pass score, exactly', () => {
    expect(examPassed('60.00', '60')).toBe(true);
    expect(examPassed('59.99', '60')).toBe(false);
    expect(() => examPassed('100.5', '60')).toThrow('staff:errors.badScore');
    expect(() => examPassed('abc', '60')).toThrow('staff:errors.badScore');
  });

  it('is valid until the day before the same date N months later, clamping month ends', () => {
    expect(validUntil('2026-03-15', 24)).toBe('2028-03-14');
    expect(validUntil('2026-01-31', 1)).toBe('2026-02-27');
    expect(validUntil('2028-02-29', 12)).toBe('2029-02-27');
    expect(validUntil('2026-12-01', 1)).toBe('2026-12-31');
  });

  it('says valid, expired, revoked or not yet valid on a business day', () => {
    const c = { issuedOn: '2026-01-01', validUntil: '2027-12-31', revokedAt: null };
    expect(certificateStatus(c, '2026-01-01')).toBe('valid');
    expect(certificateStatus(c, '2027-12-31')).toBe('valid');
    expect(certificateStatus(c, '2028-01-01')).toBe('expired');
    expect(certificateStatus(c, '2025-12-31')).toBe('notYetValid');
    expect(certificateStatus({ ...c, revokedAt: new Date() }, '2026-06-01')).toBe('revoked');
  });

  it('numbers certificates with year, sequence and an unguessable tail, and reads typed numbers', () => {
    const n = certificateNumber(2026, 123);
    expect(n).toMatch(/^RZ-2026-000123-[2-9A-HJKMNP-Z]{4}$/);
    expect(parseCertificateNumber(` ${n.toLowerCase()} `)).toBe(n);
    expect(parseCertificateNumber('RZ-2026-000123')).toBeNull();
    expect(parseCertificateNumber("RZ-2026-000123-K7Q'; DROP")).toBeNull();
    expect(new Set(Array.from({ length: 50 }, () => certificateNumber(2026, 1))).size).toBeGreaterThan(40);
  });

  it('revokes once, with a reason', () => {
    expect(checkRevoke({ revokedAt: null }, ' 离职 ')).toBe('离职');
    expect(() => checkRevoke({ revokedAt: null }, ' ')).toThrow('staff:errors.revokeReason');
    expect(() => checkRevoke({ revokedAt: new Date() }, 'x')).toThrow('staff:errors.alreadyRevoked');
  });

  it('shows the public only number, name, partner and validity', () => {
    const p = publicCertificate({ number: 'RZ-2026-000001-ABCD', name: '张伟', partnerName: '黔通', issuedOn: '2026-01-01', validUntil: '2027-12-31', revokedAt: null, phone: '13808511234', staffId: 9 } as never, '2026-06-01');
    expect(Object.keys(p).sort()).toEqual(['issuedOn', 'name', 'number', 'partnerName', 'status', 'validUntil']);
    expect(p.status).toBe('valid');
  });
});
