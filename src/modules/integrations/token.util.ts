import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The scopes a service token may carry (one per kind of machine work). */
export const SCOPES = ['accruals:write', 'customers:write', 'settlement:read', 'payouts:read', 'webhooks:manage'] as const;
export type Scope = (typeof SCOPES)[number];

/** A recognisable prefix lets secret scanners (and people) tell a portal token at a glance. */
export const TOKEN_PREFIX = 'ppt_';

/** 32 random bytes (256 bits) as base64url after the prefix: shown once, stored only as its SHA-256. */
export function newToken(): { token: string; hash: string; prefix: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), prefix: token.slice(0, 12) };
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The token of an `Authorization: Bearer …` header, or null when absent or not one of ours. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m || !m[1].startsWith(TOKEN_PREFIX) || m[1].length > 100) return null;
  return m[1];
}

export const validScopes = (scopes: string[]): scopes is Scope[] => scopes.length > 0 && scopes.every((s) => (SCOPES as readonly string[]).includes(s));

/** A webhook secret (shown once to the admin who creates the subscription). */
export const newWebhookSecret = (): string => 'whsec_' + randomBytes(24).toString('base64url');

/** `X-Portal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` — the Stripe-style scheme receivers know. */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** What a receiver does: recompute, compare in constant time, and refuse stale timestamps (replays). */
export function verifyWebhook(secret: string, body: string, header: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, body, t).split('v1=')[1], 'hex');
  const got = Buffer.from(parts.v1, 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Exponential backoff of webhook retries in seconds: 10, 20, 40 … capped at one hour. */
export const retryDelaySeconds = (attempt: number): number => Math.min(3600, 10 * 2 ** Math.max(0, attempt - 1));
