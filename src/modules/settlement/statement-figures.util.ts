import { createHash, randomInt } from 'node:crypto';
import { dec } from '../../core/money/money.util';

/**
 * What a statement PDF (对账单) vouches for, in a fixed shape: the money figures of every line and adjustment. The
 * batch state (approved, paid …) is left out on purpose — paying a statement does not change what it says is due.
 */
export interface StatementFigures {
  partnerId: number;
  period: string;
  accrued: string;
  total: string;
  lines: { batchId: number; accrualCount: number; accrued: string; scoreY: string | null; p: string; basePay: string; qualityPay: string; adjustments: string; totalFormula: string; totalPay: string; carryForward: string }[];
  adjustments: { id: number; amount: string }[];
}

type Row = Record<string, unknown>;
const m2 = (v: unknown) => dec(String(v ?? 0)).toFixed(2);

/** The figures of a statement as StatementService.statement() returns it (amounts normalised to fixed decimals). */
export function statementFigures(s: { partner: { id: number }; period: string; accrued: string; total: string; lines: Row[]; adjustments: Row[] }): StatementFigures {
  return {
    partnerId: Number(s.partner.id),
    period: s.period,
    accrued: m2(s.accrued),
    total: m2(s.total),
    lines: s.lines.map((l) => ({
      batchId: Number(l.batch_id), accrualCount: Number(l.accrual_count), accrued: m2(l.accrued),
      scoreY: l.score_y === null || l.score_y === undefined ? null : m2(l.score_y), p: dec(String(l.coefficient_p ?? 0)).toFixed(6),
      basePay: m2(l.base_pay), qualityPay: m2(l.quality_pay), adjustments: m2(l.adjustments), totalFormula: m2(l.total_formula),
      totalPay: m2(l.total_pay), carryForward: m2(l.carry_forward),
    })),
    adjustments: s.adjustments.map((a) => ({ id: Number(a.id), amount: m2(a.amount) })),
  };
}

/** SHA-256 of the figures (keys in the fixed order built above). */
export function figuresHash(f: StatementFigures): string {
  return createHash('sha256').update(JSON.stringify(f)).digest('hex');
}

// no 0/O, 1/I/L: a code read off paper and typed in must not be ambiguous
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 12;

/** A new verification code, e.g. `K7QP-3MZX-94TD` (12 random characters, ~59 bits). */
export function newVerificationCode(): string {
  let s = '';
  for (let i = 0; i < LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/** A typed code in the stored form (upper case, dashes where they belong), or null when it cannot be one. */
export function normalizeVerificationCode(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.toUpperCase().replace(/[\s\-_.]/g, '');
  if (s.length !== LENGTH || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}
