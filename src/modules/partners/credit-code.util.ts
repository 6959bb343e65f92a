/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character alphabet
 * (digits and capitals without I, O, S, V, Z); the 18th is a check character over the first 17.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function normalizeCreditCode(raw: string | null | undefined): string {
  return (raw ?? '').trim().toUpperCase();
}

/** The check character for the first 17 characters (31 - sum mod 31, where 31 becomes 0). */
export function creditCodeCheckChar(body17: string): string {
  if (body17.length !== 17) throw new Error('the body of a credit code has 17 characters');
  const sum = body17.split('').reduce((acc, ch, i) => {
    const v = CREDIT_CODE_ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`"${ch}" is not allowed in a credit code`);
    return acc + v * WEIGHTS[i];
  }, 0);
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

/** A refusal as a catalogue key with its placeholders (translated where it is shown). */
export interface CreditCodeProblem { message: string; params: Record<string, unknown> }

/** Why a credit code is not valid, or null when it is. */
export function creditCodeProblem(raw: string | null | undefined): CreditCodeProblem | null {
  const code = normalizeCreditCode(raw);
  if (code.length !== 18) return { message: 'partners:creditCode.length', params: { got: code.length } };
  const bad = code.split('').find((ch) => !CREDIT_CODE_ALPHABET.includes(ch));
  if (bad) return { message: 'partners:creditCode.char', params: { char: bad } };
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected) return { message: 'partners:creditCode.check', params: { expected, got: code[17] } };
  return null;
}

export function isValidCreditCode(raw: string | null | undefined): boolean {
  return creditCodeProblem(raw) === null;
}
