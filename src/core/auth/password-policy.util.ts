import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
/** zxcvbn-ts scores 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks" */
export const MIN_STRENGTH_SCORE = 3;

/** Who the password belongs to: none of these may appear in it, and guesses built from them score lower. */
export interface PasswordContext { username?: string | null; displayName?: string | null; partnerName?: string | null }

/** Why a password is refused: a catalogue key (auth namespace) and its params; null when it is accepted. */
export interface PolicyRefusal { message: string; params?: Record<string, unknown> }

let estimator: ZxcvbnFactory | undefined;
const strength = () => (estimator ??= new ZxcvbnFactory({ graphs: adjacencyGraphs, dictionary: { ...dictionary } }));

const personal = (ctx: PasswordContext) => [ctx.username, ctx.displayName, ctx.partnerName]
  .map((v) => String(v ?? '').trim().toLowerCase()).filter((v) => v.length >= 3);

/**
 * The password rule: 10–200 characters, none of the person's own names (username, display name, partner name), and a
 * strength estimate (zxcvbn-ts) of at least 3 — which refuses `aaaaaaaaaa`, `1234567890`, ten spaces, keyboard walks
 * and common words with digits.
 */
export function checkPasswordPolicy(password: unknown, ctx: PasswordContext = {}): PolicyRefusal | null {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) return { message: 'auth:errors.passwordShort', params: { min: MIN_PASSWORD_LENGTH } };
  if (password.length > MAX_PASSWORD_LENGTH) return { message: 'auth:errors.passwordLong', params: { max: MAX_PASSWORD_LENGTH } };
  if (!password.trim()) return { message: 'auth:policy.blank' };
  const lower = password.toLowerCase();
  const names = personal(ctx);
  if (names.some((n) => lower.includes(n) || (n.length >= MIN_PASSWORD_LENGTH && n.includes(lower)))) return { message: 'auth:policy.containsName' };
  const result = strength().check(password.slice(0, 100), names);
  if (result.score < MIN_STRENGTH_SCORE) {
    const kinds = new Set(result.sequence.map((s) => s.pattern));
    const why = kinds.has('repeat') ? 'repeat' : kinds.has('sequence') ? 'sequence' : kinds.has('spatial') ? 'keyboard'
      : kinds.has('dictionary') ? 'common' : kinds.has('date') ? 'date' : 'guessable';
    return { message: `auth:policy.weak.${why}` };
  }
  return null;
}
