import { randomInt } from 'node:crypto';
import { isValidIsoDate } from '../../core/period/period.util';
import { dec } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';

/** Roles of a partner's staff member. Texts: `staff:role.<role>`. */
export const STAFF_ROLES = ['engineer', 'account_rep', 'service_manager', 'other'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const isStaffRole = (v: unknown): v is StaffRole => typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v);

/** A mainland mobile (1xxxxxxxxxx) or a fixed line with area code (0851-12345678). */
export function normalisePhone(input: string): string {
  const p = (input ?? '').replace(/[\s()]/g, '').replace(/^\+?86/, '');
  if (/^1[3-9]\d{9}$/.test(p) || /^0\d{2,3}-?\d{7,8}$/.test(p)) return p;
  throw new RuleViolation('staff:errors.badPhone', 'phone', { value: input });
}

export function checkStaffInput(input: { name: string; phone: string; role: string }): { name: string; phone: string; role: StaffRole } {
  const name = (input.name ?? '').trim();
  if (!name || name.length > 60) throw new RuleViolation('staff:errors.badName', 'name');
  if (!isStaffRole(input.role)) throw new RuleViolation('staff:errors.badRole', 'role');
  return { name, phone: normalisePhone(input.phone), role: input.role };
}

/** An exam is passed at or above the course's pass score (decimals compared exactly). */
export function examPassed(score: string | number, passScore: string | number): boolean {
  const text = String(score ?? '').trim();
  const s = /^\d{1,3}(\.\d{1,2})?$/.test(text) ? dec(text) : null;
  if (!s || s.gt(100)) throw new RuleViolation('staff:errors.badScore', 'score', { value: String(score) });
  return s.gte(dec(passScore));
}

/** The last day of validity: `months` after the issue date, the day before the same calendar day (month ends clamp). */
export function validUntil(issuedOn: string, months: number): string {
  if (!isValidIsoDate(issuedOn)) throw new RuleViolation('staff:errors.badDate', 'issuedOn');
  const [y, m, d] = issuedOn.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  const end = new Date(Date.UTC(ty, tm, Math.min(d, last)));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export type CertificateStatus = 'valid' | 'expired' | 'revoked' | 'notYetValid';

/** What a certificate is on a business day. Revocation wins over everything. */
export function certificateStatus(c: { issuedOn: string; validUntil: string; revokedAt: Date | string | null }, today: string): CertificateStatus {
  if (c.revokedAt) return 'revoked';
  if (today < c.issuedOn) return 'notYetValid';
  return today <= c.validUntil ? 'valid' : 'expired';
}

/** Letters and digits a person reads off a card without confusing them (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * Certificate number `RZ-2026-000123-K7QD`: year and sequence for people, a random tail so numbers cannot be guessed
 * one after another on the public verification page.
 */
export function certificateNumber(year: number, seq: number, tail: string = randomTail()): string {
  return `RZ-${year}-${String(seq).padStart(6, '0')}-${tail}`;
}
export function randomTail(): string {
  return Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}
/** The shape of a number as typed into the verification form (case and spaces forgiven), or null. */
export function parseCertificateNumber(input: string): string | null {
  const v = String(input ?? '').trim().toUpperCase().replace(/\s+/g, '');
  return /^RZ-\d{4}-\d{6}-[2-9A-HJKMNP-Z]{4}$/.test(v) ? v : null;
}

export function checkRevoke(c: { revokedAt: Date | string | null }, reason: string): string {
  if (c.revokedAt) throw new RuleViolation('staff:errors.alreadyRevoked', 'reason');
  const r = (reason ?? '').trim();
  if (!r) throw new RuleViolation('staff:errors.revokeReason', 'reason');
  return r;
}

/** The public verification page shows these fields and nothing else (no phone, no role, no ids). */
export interface PublicCertificate { number: string; name: string; partnerName: string; issuedOn: string; validUntil: string; status: CertificateStatus }
export function publicCertificate(c: { number: string; name: string; partnerName: string; issuedOn: string; validUntil: string; revokedAt: Date | string | null }, today: string): PublicCertificate {
  return { number: c.number, name: c.name, partnerName: c.partnerName, issuedOn: c.issuedOn, validUntil: c.validUntil, status: certificateStatus(c, today) };
}
