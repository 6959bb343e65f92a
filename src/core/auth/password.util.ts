import * as argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 10;

/** argon2id with the library's defaults (64 MiB, t=3): slow on purpose. */
export async function hashPassword(password: string): Promise<string> {
  assertPasswordPolicy(password);
  return argon2.hash(password, { type: argon2.argon2id });
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
