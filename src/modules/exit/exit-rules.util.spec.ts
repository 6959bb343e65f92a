import { consecutiveQuarters, coveredFrom, ExitRules, PartnerExitFacts, triggeredProposals } from './exit-rules.util';

const rules: ExitRules = {
  majorViolationEnabled: true, scoreFloorEnabled: true, scoreFloor: '60', consecutiveLowEnabled: true,
  lowScoreBelow: '90', consecutiveLowQuarters: 2, contractEndEnabled: true,
};
const facts: PartnerExitFacts = { majorViolationIds: [], scores: [], contractEndOn: null, today: '2026-11-25' };
const triggers = (f: Partial<PartnerExitFacts>, r: Partial<ExitRules> = {}, covered = coveredFrom([])) =>
  triggeredProposals({ ...rules, ...r }, { ...facts, ...f }, covered).map((p) => p.trigger);

describe('exit triggers', () => {
  it('proposes on a major violation, listing it as evidence', () => {
    expect(triggeredProposals(rules, { ...facts, majorViolationIds: [9, 4] })).toEqual([{ trigger: 'major_violation', evidence: { violationIds: [4, 9] } }]);
  });
  it('proposes when the latest confirmed score is below the floor, not at the floor', () => {
    expect(triggers({ scores: [{ period: '2026Q3', scoreY: '59.99' }] })).toContain('score_floor');
    expect(triggers({ scores: [{ period: '2026Q3', scoreY: '60.00' }] })).not.toContain('score_floor');
  });
  it('proposes after N consecutive quarters below 90, only when they are back to back', () => {
    const low = [{ period: '2026Q3', scoreY: '89.99' }, { period: '2026Q2', scoreY: '75.00' }];
    expect(triggers({ scores: low })).toEqual(['consecutive_low']);
    expect(triggers({ scores: [low[0], { period: '2026Q1', scoreY: '75.00' }] })).toEqual([]);
    expect(triggers({ scores: [low[0], { period: '2026Q2', scoreY: '90.00' }] })).toEqual([]);
    expect(triggers({ scores: [low[0]] })).toEqual([]);
    expect(triggers({ scores: low }, { consecutiveLowQuarters: 3 })).toEqual([]);
  });
  it('proposes when the contract end date is reached (today counts)', () => {
    expect(triggers({ contractEndOn: '2026-11-25' })).toEqual(['contract_end']);
    expect(triggers({ contractEndOn: '2026-11-26' })).toEqual([]);
  });
  it('respects the enable flags', () => {
    expect(triggers({ majorViolationIds: [1], contractEndOn: '2026-01-01' }, { majorViolationEnabled: false, contractEndEnabled: false })).toEqual([]);
  });
  it('does not raise again what an earlier (e.g. dismissed) proposal already covered, but raises new facts', () => {
    const covered = coveredFrom([
      { trigger: 'major_violation', evidence: { violationIds: [4] } },
      { trigger: 'score_floor', evidence: { scores: [{ period: '2026Q3', scoreY: '50' }] } },
      { trigger: 'consecutive_low', evidence: { scores: [{ period: '2026Q3', scoreY: '50' }, { period: '2026Q2', scoreY: '50' }] } },
      { trigger: 'contract_end', evidence: { contractEndOn: '2026-06-30' } },
    ]);
    const f = { majorViolationIds: [4], scores: [{ period: '2026Q3', scoreY: '50' }, { period: '2026Q2', scoreY: '50' }], contractEndOn: '2026-06-30' };
    expect(triggers(f, {}, covered)).toEqual([]);
    expect(triggeredProposals(rules, { ...facts, ...f, majorViolationIds: [4, 7] }, covered)).toEqual([{ trigger: 'major_violation', evidence: { violationIds: [7] } }]);
  });
  it('recognises back-to-back quarters across a year end', () => {
    expect(consecutiveQuarters(['2027Q1', '2026Q4', '2026Q3'])).toBe(true);
    expect(consecutiveQuarters(['2027Q1', '2026Q3'])).toBe(false);
  });
});
