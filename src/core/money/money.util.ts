import Decimal from 'decimal.js';
import { RuleViolation } from '../web/errors';

/**
 * Money rule of the whole portal (one rule, written once):
 * - amounts are decimal strings in the database (`numeric(14,2)`), Decimal in code, never JS numbers;
 * - intermediate results keep full precision (40 significant digits);
 * - a money result is rounded once, at the end, to 0.01 with ties away from zero ("round half up" on
 *   the absolute value: 0.125 -> 0.13, -0.125 -> -0.13). decimal.js calls this ROUND_HALF_UP.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Dec = Decimal;

export function dec(value: Decimal.Value): Decimal {
  return new Dec(value);
}

export function round2(value: Decimal.Value): Decimal {
  return new Dec(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Format for storage, CSV and display: always two decimals, no exponent. */
export function money(value: Decimal.Value): string {
  return round2(value).toFixed(2);
}

const AMOUNT = /^-?(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

/** Parses an amount written by a person or another system: up to 2 decimals, optional minus, no thousands separators. */
export function parseAmount(raw: string, opts: { allowNegative?: boolean } = {}): Decimal {
  const text = (raw ?? '').trim();
  if (!AMOUNT.test(text)) throw new RuleViolation('errors:money.notAmount', undefined, { value: raw });
  const value = new Dec(text);
  if (!opts.allowNegative && value.isNegative() && !value.isZero()) throw new RuleViolation('errors:money.negative', undefined, { value: raw });
  return value;
}

export function sumMoney(values: Decimal.Value[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(v), new Dec(0));
}
