/**
 * How many of a partner's service records of a quarter are drawn for verification (#17 "Verified service records"):
 * the configured share, rounded up, but at least the configured minimum — and never more than there are records.
 */
export interface SampleRule { percent: number; min: number }

export function sampleSize(recordCount: number, rule: SampleRule): number {
  const n = Math.max(0, Math.floor(recordCount));
  if (n === 0) return 0;
  // rounded up: 5 % of 21 records is 1.05 → 2 (a share is never rounded down to nothing); the epsilon keeps 5 % of 100 at 5
  const share = Math.ceil((n * Math.max(0, rule.percent)) / 100 - 1e-9);
  return Math.min(n, Math.max(share, Math.max(0, Math.floor(rule.min))));
}

/**
 * Record accuracy of a partner's quarter: the share of verified sampled records the customer confirmed, in percent
 * with two decimals (half away from zero); null while none is verified.
 */
export function accuracyPercent(confirmed: number, verified: number): string | null {
  if (verified <= 0) return null;
  const hundredths = Math.round((confirmed * 10000) / verified); // non-negative, so Math.round is half away from zero
  return (hundredths / 100).toFixed(2);
}

/**
 * A quarter's sample is drawn once it has ended (from the day after its last day, business time zone): a sample is
 * never redrawn, so one drawn early would leave out every record made later in the quarter.
 */
export function quarterOver(quarterEnd: string, today: string): boolean {
  return today > quarterEnd;
}
