import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * TOTP secrets at rest (optional): AES-256-GCM under the key of TOTP_SECRET_KEY, bound to the user's id (as
 * associated data, so a stored secret copied onto another user's row does not decrypt). Without the setting secrets
 * are stored as before (plain base32); a plain one still works when the key is set, and is encrypted once it is used.
 */
const PREFIX = 'enc:v1:';

/** The key from the setting: 64 hex digits or base64 of 32 bytes; null when unset; a malformed one is an error. */
export function parseSecretKey(raw: string | undefined | null): Buffer | null {
  const s = String(raw ?? '').trim();
  if (!s) return null;
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(s)) {
    const b = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return b;
  }
  throw new Error('TOTP_SECRET_KEY must be 32 bytes: 64 hex digits or base64 (e.g. `openssl rand -hex 32`)');
}

export const isEncryptedSecret = (stored: string) => stored.startsWith(PREFIX);

export function encryptSecret(secret: string, key: Buffer, userId: number): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`user:${userId}`));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
}

/** The plain secret of a stored value (a plain one as it is); throws when it is encrypted and cannot be read. */
export function decryptSecret(stored: string, key: Buffer | null, userId: number): string {
  if (!isEncryptedSecret(stored)) return stored;
  if (!key) throw new Error('an encrypted TOTP secret needs TOTP_SECRET_KEY');
  const [iv, tag, body] = stored.slice(PREFIX.length).split(':').map((p) => Buffer.from(p, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(`user:${userId}`));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
