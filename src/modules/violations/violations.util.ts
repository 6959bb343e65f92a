import { dec, money } from '../../core/money/money.util';
import { isValidIsoDate } from '../../core/period/period.util';
import { DEFAULT_LANGUAGE, t } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { kindNameRef } from './violation-labels';
import { Severity, ViolationStatus } from './violation.entity';

/** The last day (inclusive) a partner may respond: the recording date plus the configured number of days. */
export function responseDueOn(recordedOn: string, responseDays: number): string {
  if (!isValidIsoDate(recordedOn)) throw new RuleViolation('errors:date.invalid', undefined, { value: recordedOn });
  if (!Number.isInteger(responseDays) || responseDays < 1 || responseDays > 90) throw new RuleViolation('violations:errors.responseDaysRange', 'responseDays');
  const d = new Date(`${recordedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + responseDays);
  return d.toISOString().slice(0, 10);
}

export interface RespondableViolation { status: ViolationStatus; responseDueOn: string; partnerResponse: string | null }

/** Why a partner may not respond now (a catalogue key with its params), or null when they may. */
export function responseRefusal(v: RespondableViolation, today: string): { message: string; params?: Record<string, unknown> } | null {
  if (v.status === 'voided') return { message: 'violations:errors.voidedNoResponse' };
  if (v.partnerResponse !== null) return { message: 'violations:errors.alreadyResponded' };
  if (today > v.responseDueOn) return { message: 'violations:errors.windowClosed', params: { date: v.responseDueOn } };
  return null;
}

export function assertCanRespond(v: RespondableViolation, today: string, text: string): string {
  const refusal = responseRefusal(v, today);
  if (refusal) throw new RuleViolation(refusal.message, 'response', refusal.params);
  const clean = (text ?? '').trim();
  if (!clean) throw new RuleViolation('violations:errors.writeResponse', 'response');
  if (clean.length > 4000) throw new RuleViolation('violations:errors.responseTooLong', 'response');
  return clean;
}

export function assertCanVoid(v: { status: ViolationStatus }, reason: string): string {
  if (v.status === 'voided') throw new RuleViolation('violations:errors.alreadyVoided', 'reason');
  const clean = (reason ?? '').trim();
  if (!clean) throw new RuleViolation('violations:errors.voidReason', 'reason');
  return clean;
}

/** Evidence is a list of document names typed one per line or separated by commas/semicolons. */
export function parseEvidenceNames(raw: string | string[] | undefined): string[] {
  const parts = Array.isArray(raw) ? raw : (raw ?? '').split(/[\n,;]+/);
  const names = [...new Set(parts.map((s) => s.trim()).filter(Boolean))];
  if (names.some((n) => n.length > 200)) throw new RuleViolation('violations:errors.evidenceTooLong', 'evidenceNames');
  if (names.length > 50) throw new RuleViolation('violations:errors.evidenceTooMany', 'evidenceNames');
  return names;
}

export interface PenaltyFact { id: number; partnerId: number; status: ViolationStatus; penaltyAmount: string | null; kindName: string; kindCode?: string; voidReason: string | null }
export interface PenaltyLine { partnerId: number; amount: string; reference: string; reason: string; violationId: number }

/**
 * Every monetary line the register asks settlement to hold: a penalty as a negative line, and for a voided
 * violation also the positive reversal. Lines are never withdrawn, so settlement can insert by reference idempotently.
 * The reason is stored with the line (data, not a message): written in the business's language, zh-CN.
 */
export function penaltyLines(facts: PenaltyFact[]): PenaltyLine[] {
  const lines: PenaltyLine[] = [];
  for (const v of facts) {
    if (v.penaltyAmount === null || dec(v.penaltyAmount).isZero()) continue;
    const kind = t(DEFAULT_LANGUAGE, kindNameRef(v.kindCode ?? '', v.kindName));
    lines.push({ partnerId: v.partnerId, amount: money(dec(v.penaltyAmount).neg()), reference: `violation:${v.id}`, reason: t(DEFAULT_LANGUAGE, 'violations:penalty.reason', { kind, id: v.id }), violationId: v.id });
    if (v.status === 'voided') {
      lines.push({ partnerId: v.partnerId, amount: money(v.penaltyAmount), reference: `violation:${v.id}:void`, reason: t(DEFAULT_LANGUAGE, 'violations:penalty.reversal', { id: v.id, reason: v.voidReason ?? '' }).trim(), violationId: v.id });
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
  if (!name) throw new RuleViolation('violations:errors.nameRequired', 'name');
  if (input.severity !== 'minor' && input.severity !== 'major') throw new RuleViolation('violations:errors.severity', 'severity');
  const ded = (input.scoreDeduction ?? '').toString().trim() || '0';
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(ded) || dec(ded).gt(100)) throw new RuleViolation('violations:errors.deductionRange', 'scoreDeduction');
  const pen = (input.penaltyAmount ?? '').toString().trim();
  if (pen && (!/^\d{1,12}(\.\d{1,2})?$/.test(pen) || dec(pen).isZero())) throw new RuleViolation('violations:errors.penaltyFormat', 'penaltyAmount');
  if (dec(ded).isZero() && !pen) throw new RuleViolation('violations:errors.needsEffect', 'scoreDeduction');
  return { name, severity: input.severity, scoreDeduction: dec(ded).toFixed(2), penaltyAmount: pen ? money(pen) : null };
}
