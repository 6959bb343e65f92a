import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Letters and digits nobody mixes up reading them off paper (no 0/O, no 1/I). 32 symbols: 5 random bits each. */
export const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const RECOVERY_CODE_LENGTH = 10;
export const RECOVERY_CODE_COUNT = 10;

export interface StoredRecoveryCode { salt: string; hash: string }

/** One code, shown grouped as `ABCDE-FGHJK` (the dash is decoration: it is ignored when typed back). */
export function newRecoveryCode(): string {
  const bytes = randomBytes(RECOVERY_CODE_LENGTH);
  let code = '';
  // the modulo is unbiased only for an alphabet whose size divides 256
  for (const b of bytes) code += RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What a typed recovery code means: upper case, without spaces and dashes; null when it cannot be one. */
export function normaliseRecoveryCode(input: unknown): string | null {
  const s = String(input ?? '').toUpperCase().replace(/[\s-]+/g, '');
  if (s.length !== RECOVERY_CODE_LENGTH) return null;
  for (const ch of s) if (!RECOVERY_ALPHABET.includes(ch)) return null;
  return s;
}

/**
 * SHA-256 of salt + code. A fast hash is enough here (unlike for passwords): the codes are 50 random bits chosen by
 * us, not by people, so a stolen table cannot be reversed by guessing; the per-code salt keeps equal codes apart.
 */
export function hashRecoveryCode(normalised: string, salt: string): string {
  return createHash('sha256').update(`${salt}:${normalised}`).digest('hex');
}

/** The codes to show once, and what is stored of them (salt and hash only). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): { codes: string[]; stored: StoredRecoveryCode[] } {
  const codes: string[] = [];
  while (codes.length < count) {
    const c = newRecoveryCode();
    if (!codes.includes(c)) codes.push(c);
  }
  const stored = codes.map((c) => {
    const salt = randomBytes(16).toString('hex');
    return { salt, hash: hashRecoveryCode(normaliseRecoveryCode(c)!, salt) };
  });
  return { codes, stored };
}

/** The stored code the input matches (compared in constant time), or null. */
export function matchRecoveryCode<T extends StoredRecoveryCode>(input: unknown, stored: T[]): T | null {
  const code = normaliseRecoveryCode(input);
  if (!code) return null;
  let found: T | null = null;
  for (const row of stored) {
    const a = Buffer.from(hashRecoveryCode(code, row.salt), 'hex');
    const b = Buffer.from(row.hash, 'hex');
    if (a.length === b.length && timingSafeEqual(a, b) && !found) found = row;
  }
  return found;
}
