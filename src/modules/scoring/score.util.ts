import Decimal from 'decimal.js';
import { Dec } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';

export const INDICATOR_FAMILIES = ['professional_quality', 'service_quality', 'service_attitude', 'compliance'] as const;
export type IndicatorFamily = (typeof INDICATOR_FAMILIES)[number];
export const INDICATOR_METHODS = ['manual', 'auto_duty_completion', 'auto_complaint_timeliness', 'auto_record_timeliness', 'deduction'] as const;
export type IndicatorMethod = (typeof INDICATOR_METHODS)[number];

export const isManualMethod = (m: IndicatorMethod) => m === 'manual';

/**
 * Indicator scores and Y keep 2 decimals. Rounding: half away from zero (decimal.js ROUND_HALF_UP), done once per
 * indicator score (e.g. a rate of 2/3 → 66.67) and once for Y (the weighted sum, computed exactly, then rounded).
 */
export function round2Score(value: Decimal.Value): Decimal {
  return new Dec(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Y = Σ weight × indicator score / 100, exact, then rounded to 2 decimals (half away from zero). */
export function computeScoreY(lines: { weight: Decimal.Value; score: Decimal.Value | null }[]): Decimal | null {
  if (lines.length === 0 || lines.some((l) => l.score === null || l.score === undefined || l.score === '')) return null;
  const sum = lines.reduce<Decimal>((acc, l) => acc.plus(new Dec(l.weight).times(l.score as Decimal.Value)), new Dec(0));
  return round2Score(sum.dividedBy(100));
}

const SCORE = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;

/** A score written by a person: 0–100 with up to 2 decimals. */
export function parseIndicatorScore(raw: string | number, field = 'score'): string {
  const text = String(raw ?? '').trim();
  if (!SCORE.test(text)) throw new RuleViolation('scoring:errors.notAScore', field, { value: text });
  return new Dec(text).toFixed(2);
}

export interface IndicatorDraft { code: string; name: string; family: string; weight: string | number; method: string; deductionKinds?: string[] }

/**
 * A scheme is valid when codes are unique, families/methods known and the weights add up to exactly 100.
 * `set` names the scheme version in the messages; a refused indicator is named by its row (`indicators.<n>.<field>`,
 * as the scheme form names its inputs), the total by `indicators`.
 */
export function validateScheme(set: string | number, indicators: IndicatorDraft[]): void {
  if (!indicators.length) throw new RuleViolation('scoring:errors.noIndicators', 'indicators', { set });
  const seen = new Set<string>();
  let total = new Dec(0);
  const family = (k: string) => `scoring:family.${k}`;
  const method = (k: string) => `scoring:method.${k}`;
  for (const [n, i] of indicators.entries()) {
    const code = (i.code ?? '').trim();
    const at = (f: string) => `indicators.${n}.${f}`;
    if (!/^[A-Z0-9_]{2,40}$/.test(code)) throw new RuleViolation('scoring:errors.codeFormat', at('code'), { code: i.code ?? '' });
    if (seen.has(code)) throw new RuleViolation('scoring:errors.codeTwice', at('code'), { code, set });
    seen.add(code);
    if (!(i.name ?? '').trim()) throw new RuleViolation('scoring:errors.nameRequired', at('name'), { code });
    if (!INDICATOR_FAMILIES.includes(i.family as IndicatorFamily)) throw new RuleViolation('scoring:errors.familyUnknown', at('family'), { code, list: INDICATOR_FAMILIES.map(family) });
    if (!INDICATOR_METHODS.includes(i.method as IndicatorMethod)) throw new RuleViolation('scoring:errors.methodUnknown', at('method'), { code, list: INDICATOR_METHODS.map(method) });
    const w = String(i.weight ?? '').trim();
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(w) || new Dec(w).lte(0) || new Dec(w).gt(100)) {
      throw new RuleViolation('scoring:errors.weightFormat', at('weight'), { code, weight: String(i.weight ?? '') });
    }
    total = total.plus(w);
  }
  if (!total.eq(100)) {
    const diff = new Dec(100).minus(total);
    throw new RuleViolation(diff.isPositive() ? 'scoring:errors.weightsMissing' : 'scoring:errors.weightsTooMuch', 'indicators',
      { set, total: total.toFixed(2), diff: diff.abs().toFixed(2) });
  }
}

/** min(1, part / whole) × 100 to 2 decimals; nothing to measure (whole = 0) counts as fully met (100). */
function rateScore(part: number, whole: number, what: string): Decimal {
  if (!Number.isInteger(part) || !Number.isInteger(whole) || part < 0 || whole < 0) {
    throw new RuleViolation('scoring:errors.badCounts', undefined, { what: `scoring:what.${what}`, part, whole });
  }
  if (whole === 0) return new Dec(100);
  return round2Score(Decimal.min(new Dec(1), new Dec(part).dividedBy(whole)).times(100));
}

/** Duty completion rate: fulfilled ÷ required, capped at 100%; no required duties → 100. */
export function dutyCompletionScore(c: { required: number; fulfilled: number }): Decimal {
  return rateScore(c.fulfilled, c.required, 'dutyCompletion');
}

/** On-time complaint handling rate; no complaints → 100. */
export function complaintTimelinessScore(c: { total: number; onTime: number }): Decimal {
  return rateScore(c.onTime, c.total, 'complaintTimeliness');
}

/** Service records entered within the allowed lag; no records → 100. */
export function recordTimelinessScore(c: { total: number; onTime: number }): Decimal {
  return rateScore(c.onTime, c.total, 'recordTimeliness');
}

export interface DeductionFact { kindCode: string; kindName?: string; count: number; points: string }

/** Deduction indicator: 100 − Σ points of the violations of the listed kinds (empty list = all kinds), never below 0. */
export function deductionScore(deductions: DeductionFact[], kinds: string[] = []): { score: Decimal; counted: DeductionFact[]; points: Decimal } {
  const counted = deductions.filter((d) => kinds.length === 0 || kinds.includes(d.kindCode));
  const points = counted.reduce<Decimal>((acc, d) => acc.plus(d.points), new Dec(0));
  return { score: round2Score(Decimal.max(new Dec(0), new Dec(100).minus(points))), counted, points };
}

/** Buckets of Y for the overview histogram: 0–59.99, 60–69.99, 70–79.99, 80–89.99, 90–100 (labelKey: the bucket's caption). */
export function histogramOfY(scores: (string | null)[]): { label: string; labelKey: string; count: number }[] {
  const buckets = [
    { label: '<60', key: 'below60', min: 0, max: 60 }, { label: '60–69', key: 'b60', min: 60, max: 70 }, { label: '70–79', key: 'b70', min: 70, max: 80 },
    { label: '80–89', key: 'b80', min: 80, max: 90 }, { label: '90–100', key: 'b90', min: 90, max: 100.001 },
  ];
  const values = scores.filter((s): s is string => s !== null && s !== undefined).map(Number);
  return buckets.map((b) => ({ label: b.label, labelKey: `scoring:histogram.${b.key}`, count: values.filter((v) => v >= b.min && v < b.max).length }));
}

/** What the other modules report for one partner and quarter (only the parts the scheme needs are filled). */
export interface PartnerFacts {
  completion?: { required: number; fulfilled: number };
  complaints?: { total: number; onTime: number };
  records?: { total: number; onTime: number };
  deductions?: DeductionFact[];
}

/** Score and shown inputs of a computed (auto or deduction) indicator; null for manual ones. */
export function computedLine(method: IndicatorMethod, kinds: string[], f: PartnerFacts): { score: string; inputs: Record<string, unknown> } | null {
  switch (method) {
    case 'auto_duty_completion': {
      const c = f.completion ?? { required: 0, fulfilled: 0 };
      return { score: dutyCompletionScore(c).toFixed(2), inputs: { fulfilled: c.fulfilled, required: c.required } };
    }
    case 'auto_complaint_timeliness': {
      const c = f.complaints ?? { total: 0, onTime: 0 };
      return { score: complaintTimelinessScore(c).toFixed(2), inputs: { onTime: c.onTime, total: c.total } };
    }
    case 'auto_record_timeliness': {
      const c = f.records ?? { total: 0, onTime: 0 };
      return { score: recordTimelinessScore(c).toFixed(2), inputs: { onTime: c.onTime, total: c.total } };
    }
    case 'deduction': {
      const r = deductionScore(f.deductions ?? [], kinds);
      return { score: r.score.toFixed(2), inputs: { points: r.points.toFixed(2), violations: r.counted.map((d) => ({ kind: d.kindCode, name: d.kindName ?? d.kindCode, count: d.count, points: d.points })) } };
    }
    default:
      return null;
  }
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * One line of text describing the inputs, for pages and CSV, in the reader's language (`tr` translates a key; the
 * default answers the key, for tests). Violation kinds are named by `kindName(code, storedName)`.
 */
export function describeInputs(method: IndicatorMethod, inputs: Record<string, unknown> | null, tr: Translate = (k) => k,
  kindName: (code: string, name: string) => string = (_c, n) => n): string {
  if (!inputs) return '';
  if (method === 'auto_duty_completion') return tr('scoring:inputs.dutyCompletion', { fulfilled: inputs.fulfilled, required: inputs.required });
  if (method === 'auto_complaint_timeliness') return tr('scoring:inputs.complaintTimeliness', { onTime: inputs.onTime, total: inputs.total });
  if (method === 'auto_record_timeliness') return tr('scoring:inputs.recordTimeliness', { onTime: inputs.onTime, total: inputs.total });
  if (method === 'deduction') {
    const v = (inputs.violations as { kind?: string; name: string; count: number; points: string }[]) ?? [];
    if (!v.length) return tr('scoring:inputs.noViolations');
    const list = v.map((x) => tr('scoring:inputs.deductionItem', { name: tr(kindName(x.kind ?? '', x.name)), count: x.count, points: x.points }));
    return tr('scoring:inputs.deducted', { points: inputs.points, list: list.join(tr('scoring:inputs.listSeparator')) });
  }
  return '';
}

/** Coordinates of an inline-SVG bar chart (no script): 5 bars in a 320×140 box, labels under the bars. */
export function histogramBars(buckets: { label: string; labelKey?: string; count: number }[]): { x: number; y: number; width: number; height: number; label: string; labelKey: string; count: number; labelX: number; countY: number }[] {
  const max = Math.max(1, ...buckets.map((b) => b.count));
  return buckets.map((b, i) => {
    const height = Math.round((b.count / max) * 90);
    const x = 15 + i * 60;
    return { x, y: 110 - height, width: 44, height, label: b.label, labelKey: b.labelKey ?? b.label, count: b.count, labelX: x + 22, countY: 105 - height };
  });
}
