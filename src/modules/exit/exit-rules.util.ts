import { dec } from '../../core/money/money.util';
import { nextPeriod, parsePeriod } from '../../core/period/period.util';

export const EXIT_TRIGGERS = ['major_violation', 'score_floor', 'consecutive_low', 'voluntary', 'contract_end'] as const;
export type ExitTrigger = (typeof EXIT_TRIGGERS)[number];

export interface ExitRules {
  majorViolationEnabled: boolean;
  scoreFloorEnabled: boolean;
  scoreFloor: string;
  consecutiveLowEnabled: boolean;
  lowScoreBelow: string;
  consecutiveLowQuarters: number;
  contractEndEnabled: boolean;
}

export interface ExitEvidence {
  violationIds?: number[];
  scores?: { period: string; scoreY: string }[];
  contractEndOn?: string;
  note?: string;
  requestedBy?: number;
}

/** What is known about one partner when the rules are evaluated. */
export interface PartnerExitFacts {
  /** non-voided major violations */
  majorViolationIds: number[];
  /** confirmed scores, newest first */
  scores: { period: string; scoreY: string }[];
  contractEndOn: string | null;
  today: string;
}

/** What earlier proposals (of any status) already covered, so a dismissed proposal is not raised again for the same facts. */
export interface CoveredEvidence {
  violationIds: Set<number>;
  /** periods already used as evidence, per trigger */
  floorPeriods: Set<string>;
  lowRunEnds: Set<string>;
  contractEnds: Set<string>;
}

export const emptyCovered = (): CoveredEvidence => ({ violationIds: new Set(), floorPeriods: new Set(), lowRunEnds: new Set(), contractEnds: new Set() });

export function coveredFrom(proposals: { trigger: ExitTrigger; evidence: ExitEvidence }[]): CoveredEvidence {
  const c = emptyCovered();
  for (const p of proposals) {
    if (p.trigger === 'major_violation') for (const id of p.evidence.violationIds ?? []) c.violationIds.add(id);
    if (p.trigger === 'score_floor') for (const s of p.evidence.scores ?? []) c.floorPeriods.add(s.period);
    if (p.trigger === 'consecutive_low' && p.evidence.scores?.length) c.lowRunEnds.add(p.evidence.scores[0].period);
    if (p.trigger === 'contract_end' && p.evidence.contractEndOn) c.contractEnds.add(p.evidence.contractEndOn);
  }
  return c;
}

/** True when the periods (newest first) are back-to-back quarters. */
export function consecutiveQuarters(periodsNewestFirst: string[]): boolean {
  for (let i = 1; i < periodsNewestFirst.length; i++) {
    if (nextPeriod(periodsNewestFirst[i]).code !== parsePeriod(periodsNewestFirst[i - 1]).code) return false;
  }
  return true;
}

/**
 * The proposals the rules ask for (each with its evidence), leaving out facts an earlier proposal already covered.
 * Voluntary exits are requested by the partner, not evaluated here.
 */
export function triggeredProposals(rules: ExitRules, facts: PartnerExitFacts, covered: CoveredEvidence = emptyCovered()): { trigger: ExitTrigger; evidence: ExitEvidence }[] {
  const out: { trigger: ExitTrigger; evidence: ExitEvidence }[] = [];
  if (rules.majorViolationEnabled) {
    const fresh = facts.majorViolationIds.filter((id) => !covered.violationIds.has(id));
    if (fresh.length) out.push({ trigger: 'major_violation', evidence: { violationIds: [...fresh].sort((a, b) => a - b) } });
  }
  const latest = facts.scores[0];
  if (rules.scoreFloorEnabled && latest && dec(latest.scoreY).lt(rules.scoreFloor) && !covered.floorPeriods.has(latest.period)) {
    out.push({ trigger: 'score_floor', evidence: { scores: [latest] } });
  }
  const n = rules.consecutiveLowQuarters;
  const run = facts.scores.slice(0, n);
  if (rules.consecutiveLowEnabled && run.length === n && n > 0 && run.every((s) => dec(s.scoreY).lt(rules.lowScoreBelow))
      && consecutiveQuarters(run.map((s) => s.period)) && !covered.lowRunEnds.has(run[0].period)) {
    out.push({ trigger: 'consecutive_low', evidence: { scores: run } });
  }
  if (rules.contractEndEnabled && facts.contractEndOn && facts.contractEndOn <= facts.today && !covered.contractEnds.has(facts.contractEndOn)) {
    out.push({ trigger: 'contract_end', evidence: { contractEndOn: facts.contractEndOn } });
  }
  return out;
}

/** Explanation of a proposal as a catalogue key with its placeholders, for the list and the partner's page (`{{tm summary}}`). */
export function describeTrigger(trigger: ExitTrigger, evidence: ExitEvidence, rules?: Pick<ExitRules, 'scoreFloor' | 'lowScoreBelow'>): { message: string; params: Record<string, unknown> } {
  switch (trigger) {
    case 'major_violation': return { message: 'exit:summary.major_violation', params: { ids: (evidence.violationIds ?? []).map((id) => `#${id}`).join(', ') } };
    case 'score_floor': return rules
      ? { message: 'exit:summary.score_floor', params: { score: evidence.scores?.[0]?.scoreY, period: evidence.scores?.[0]?.period, floor: rules.scoreFloor } }
      : { message: 'exit:summary.score_floor_plain', params: { score: evidence.scores?.[0]?.scoreY, period: evidence.scores?.[0]?.period } };
    case 'consecutive_low': return { message: 'exit:summary.consecutive_low', params: { below: rules?.lowScoreBelow ?? '90', count: evidence.scores?.length ?? 0, scores: (evidence.scores ?? []).map((s) => `${s.period}: ${s.scoreY}`).join(', ') } };
    case 'voluntary': return evidence.note ? { message: 'exit:summary.voluntary', params: { note: evidence.note } } : { message: 'exit:summary.voluntary_plain', params: {} };
    case 'contract_end': return { message: 'exit:summary.contract_end', params: { date: evidence.contractEndOn } };
  }
}
