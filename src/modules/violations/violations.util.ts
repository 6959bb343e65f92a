import { dec, money } from '../../core/money/money.util';
import { isValidIsoDate } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { Severity, ViolationStatus } from './violation.entity';

/** The last day (inclusive) a partner may respond: the recording date plus the configured number of days. */
export function responseDueOn(recordedOn: string, responseDays: number): string {
  if (!isValidIsoDate(recordedOn)) throw new RuleViolation(`"${recordedOn}" is not a date`);
  if (!Number.isInteger(responseDays) || responseDays < 1 || responseDays > 90) throw new RuleViolation('the response window must be 1 to 90 days', 'responseDays');
  const d = new Date(`${recordedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + responseDays);
  return d.toISOString().slice(0, 10);
}

export interface RespondableViolation { status: ViolationStatus; responseDueOn: string; partnerResponse: string | null }

/** Why a partner may not respond now, or null when they may. */
export function responseRefusal(v: RespondableViolation, today: string): string | null {
  if (v.status === 'voided') return 'This violation was voided; no response is needed.';
  if (v.partnerResponse !== null) return 'You have already responded to this violation.';
  if (today > v.responseDueOn) return `The response window closed on ${v.responseDueOn}.`;
  return null;
}

export function assertCanRespond(v: RespondableViolation, today: string, text: string): string {
  const refusal = responseRefusal(v, today);
  if (refusal) throw new RuleViolation(refusal, 'response');
  const clean = (text ?? '').trim();
  if (!clean) throw new RuleViolation('Write your response.', 'response');
  if (clean.length > 4000) throw new RuleViolation('The response may be at most 4000 characters.', 'response');
  return clean;
}

export function assertCanVoid(v: { status: ViolationStatus }, reason: string): string {
  if (v.status === 'voided') throw new RuleViolation('This violation is already voided.');
  const clean = (reason ?? '').trim();
  if (!clean) throw new RuleViolation('A reason is required to void a violation.', 'reason');
  return clean;
}

/** Evidence is a list of document names typed one per line or separated by commas/semicolons. */
export function parseEvidenceNames(raw: string | string[] | undefined): string[] {
  const parts = Array.isArray(raw) ? raw : (raw ?? '').split(/[\n,;]+/);
  const names = [...new Set(parts.map((s) => s.trim()).filter(Boolean))];
  if (names.some((n) => n.length > 200)) throw new RuleViolation('An evidence name may be at most 200 characters.', 'evidenceNames');
  if (names.length > 50) throw new RuleViolation('At most 50 evidence names.', 'evidenceNames');
  return names;
}

export interface PenaltyFact { id: number; partnerId: number; status: ViolationStatus; penaltyAmount: string | null; kindName: string; voidReason: string | null }
export interface PenaltyLine { partnerId: number; amount: string; reference: string; reason: string; violationId: number }

/**
 * Every monetary line the register asks settlement to hold: a penalty as a negative line, and for a voided
 * violation also the positive reversal. Lines are never withdrawn, so settlement can insert by reference idempotently.
 */
export function penaltyLines(facts: PenaltyFact[]): PenaltyLine[] {
  const lines: PenaltyLine[] = [];
  for (const v of facts) {
    if (v.penaltyAmount === null || dec(v.penaltyAmount).isZero()) continue;
    lines.push({ partnerId: v.partnerId, amount: money(dec(v.penaltyAmount).neg()), reference: `violation:${v.id}`, reason: `Violation penalty: ${v.kindName} (violation ${v.id})`, violationId: v.id });
    if (v.status === 'voided') {
      lines.push({ partnerId: v.partnerId, amount: money(v.penaltyAmount), reference: `violation:${v.id}:void`, reason: `Reversal of voided violation ${v.id}: ${v.voidReason ?? ''}`.trim(), violationId: v.id });
    }
  }
  return lines;
}

export interface DeductionFact { kindCode: string; kindName: string; scoreDeduction: string; status: ViolationStatus }
export interface DeductionLine { kindCode: string; kindName: string; count: number; points: string }

/** Score deduction per kind for non-voided violations (points = sum of the snapshotted deductions). */
export function deductionSummary(facts: DeductionFact[]): DeductionLine[] {
  const byKind = new Map<string, DeductionLine & { sum: ReturnType<typeof dec> }>();
  for (const f of facts) {
    if (f.status === 'voided') continue;
    const row = byKind.get(f.kindCode) ?? { kindCode: f.kindCode, kindName: f.kindName, count: 0, points: '0.00', sum: dec(0) };
    row.count += 1;
    row.sum = row.sum.plus(f.scoreDeduction);
    byKind.set(f.kindCode, row);
  }
  return [...byKind.values()].sort((a, b) => a.kindCode.localeCompare(b.kindCode))
    .map(({ sum, ...r }) => ({ ...r, points: sum.toFixed(2) }));
}

export interface KindInput { code?: string; name: string; severity: string; scoreDeduction: string; penaltyAmount?: string | null; active?: boolean }

/** Validates a catalogue entry: a kind must deduct points or cost money (or both). */
export function validateKind(input: KindInput): { name: string; severity: Severity; scoreDeduction: string; penaltyAmount: string | null } {
  const name = (input.name ?? '').trim();
  if (!name) throw new RuleViolation('A name is required.', 'name');
  if (input.severity !== 'minor' && input.severity !== 'major') throw new RuleViolation('Severity must be minor or major.', 'severity');
  const ded = (input.scoreDeduction ?? '').toString().trim() || '0';
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(ded) || dec(ded).gt(100)) throw new RuleViolation('The score deduction must be 0 to 100 points with up to 2 decimals.', 'scoreDeduction');
  const pen = (input.penaltyAmount ?? '').toString().trim();
  if (pen && (!/^\d{1,12}(\.\d{1,2})?$/.test(pen) || dec(pen).isZero())) throw new RuleViolation('The penalty must be a positive amount with up to 2 decimals, or empty.', 'penaltyAmount');
  if (dec(ded).isZero() && !pen) throw new RuleViolation('A kind must deduct score points, carry a penalty, or both.', 'scoreDeduction');
  return { name, severity: input.severity, scoreDeduction: dec(ded).toFixed(2), penaltyAmount: pen ? money(pen) : null };
}
