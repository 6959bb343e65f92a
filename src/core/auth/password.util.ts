import * as argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 10;

/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1): slow enough against guessing, fast enough that a sign-in does
 * not cost a second of server time. Hashes made with other parameters are replaced at the next sign-in.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  assertPasswordPolicy(password);
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** Whether a stored hash was made with other parameters than today's (then it is replaced at sign-in). */
export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows: a sign-in for a username that does not exist is checked against it, so it takes as long. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= argon2.hash(`no-such-user-${Math.random()}`, ARGON2_OPTIONS);
  return dummyHash;
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export function assertPasswordPolicy(password: string): void {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new PasswordPolicyError('auth:errors.passwordShort', { min: MIN_PASSWORD_LENGTH });
  }
  if (password.length > 200) throw new PasswordPolicyError('auth:errors.passwordLong', { max: 200 });
}

export class PasswordPolicyError extends Error {
  constructor(message: string, public readonly params?: Record<string, unknown>) {
    super(message);
  }
}
