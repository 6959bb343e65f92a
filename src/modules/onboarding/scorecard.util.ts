import Decimal from 'decimal.js';
import { dec } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';

/** One line of the admin-configured review scorecard. */
export interface CriterionDef {
  id?: number;
  name: string;
  /** share of the total (all active weights add up to 100) */
  weight: number;
  /** the reviewer scores 0..maxPoints on this criterion */
  maxPoints: number;
  active?: boolean;
}

export interface CriterionProblem { index: number; field: string; message: string; params?: Record<string, unknown> }

/** Every problem with a criteria set, so the admin can fix them all at once. */
export function criteriaProblems(criteria: CriterionDef[]): CriterionProblem[] {
  const problems: CriterionProblem[] = [];
  const active = criteria.filter((c) => c.active !== false);
  const names = new Set<string>();
  criteria.forEach((c, index) => {
    const name = (c.name ?? '').trim();
    if (!name) problems.push({ index, field: 'name', message: 'onboarding:criteria.nameRequired' });
    else if (names.has(name.toLowerCase())) problems.push({ index, field: 'name', message: 'onboarding:criteria.duplicate', params: { name } });
    names.add(name.toLowerCase());
    if (!Number.isInteger(c.weight) || c.weight < 0 || c.weight > 100) problems.push({ index, field: 'weight', message: 'onboarding:criteria.weight', params: { name } });
    if (!Number.isInteger(c.maxPoints) || c.maxPoints < 1 || c.maxPoints > 1000) problems.push({ index, field: 'maxPoints', message: 'onboarding:criteria.maxPoints', params: { name } });
  });
  if (!active.length) problems.push({ index: -1, field: 'weight', message: 'onboarding:criteria.noneActive' });
  const sum = active.reduce((acc, c) => acc + (Number.isFinite(c.weight) ? c.weight : 0), 0);
  if (active.length && sum !== 100) problems.push({ index: -1, field: 'weight', message: 'onboarding:criteria.sum', params: { sum } });
  return problems;
}

export function assertValidCriteria(criteria: CriterionDef[]): void {
  const problems = criteriaProblems(criteria);
  // the first problem is reported (the form shows it beside its field; the admin fixes and saves again)
  if (problems.length) throw new RuleViolation(problems[0].message, problems[0].field, problems[0].params);
}

/** A scored criterion as stored with the review (a snapshot: later config changes do not alter old scorecards). */
export interface ScoredCriterion extends CriterionDef { points: number }

/**
 * Total out of 100: each criterion contributes points / maxPoints × weight. Two decimals, half away from zero.
 * Points outside 0..maxPoints are refused.
 */
export function scorecardTotal(lines: ScoredCriterion[]): string {
  let total: Decimal = dec(0);
  for (const l of lines) {
    if (!Number.isFinite(l.points) || l.points < 0 || l.points > l.maxPoints) {
      throw new RuleViolation('onboarding:errors.points', 'scores', { name: l.name, max: l.maxPoints });
    }
    total = total.plus(dec(l.points).div(l.maxPoints).times(l.weight));
  }
  return total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

export type Suggestion = 'approve' | 'reject';

/** The pass mark suggests, the reviewer decides. */
export function suggestDecision(total: Decimal.Value, passMark: Decimal.Value): Suggestion {
  return dec(total).gte(dec(passMark)) ? 'approve' : 'reject';
}

export function assertValidPassMark(raw: unknown): string {
  const text = String(raw ?? '').trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text) || dec(text).gt(100)) throw new RuleViolation('onboarding:errors.passMark', 'passMark');
  return dec(text).toFixed(2);
}
