import { createHash, randomBytes } from 'node:crypto';

/** A one-time link's secret: 32 random bytes, URL-safe. Only its SHA-256 is stored, so a database copy opens nothing. */
export function newAccountToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashAccountToken(token) };
}

export function hashAccountToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Only strings shaped like our tokens are looked up (anything else is "invalid or expired" without a query). */
export const looksLikeToken = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);

export const INVITATION_HOURS = 72;
export const RESET_MINUTES = 60;

/** A request URL as logged: the secret of a one-time link is replaced (request logs are read by more people than admins). */
export function redactLinkTokens(url: string): string {
  return String(url ?? '').replace(/^(\/(?:password\/reset|invitation)\/)[^/?#]+/, '$1[redacted]');
}
