import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret, isEncryptedSecret, parseSecretKey } from './totp-secret.util';

describe('TOTP secrets at rest', () => {
  const key = randomBytes(32);
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DP';

  it('reads the key as hex or base64 of 32 bytes; unset is null; anything else stops start-up', () => {
    expect(parseSecretKey(key.toString('hex'))!.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64'))!.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url'))!.equals(key)).toBe(true);
    expect(parseSecretKey(undefined)).toBeNull();
    expect(parseSecretKey('  ')).toBeNull();
    expect(() => parseSecretKey('too-short')).toThrow(/TOTP_SECRET_KEY/);
    expect(() => parseSecretKey(randomBytes(16).toString('hex'))).toThrow(/TOTP_SECRET_KEY/);
  });

  it('encrypts (a fresh IV each time) and decrypts for the same user only', () => {
    const a = encryptSecret(secret, key, 7);
    const b = encryptSecret(secret, key, 7);
    expect(isEncryptedSecret(a)).toBe(true);
    expect(a).not.toContain(secret);
    expect(a).not.toBe(b);
    expect(decryptSecret(a, key, 7)).toBe(secret);
    expect(() => decryptSecret(a, key, 8)).toThrow();
    expect(() => decryptSecret(a, randomBytes(32), 7)).toThrow();
    expect(() => decryptSecret(a, null, 7)).toThrow(/TOTP_SECRET_KEY/);
  });

  it('a plain stored secret (from before, or without a key) is read as it is', () => {
    expect(isEncryptedSecret(secret)).toBe(false);
    expect(decryptSecret(secret, key, 7)).toBe(secret);
    expect(decryptSecret(secret, null, 7)).toBe(secret);
  });
});
