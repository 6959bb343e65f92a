import { RuleViolation } from '../../core/web/errors';

/**
 * Finance's P = 1 overrides as typed in the run form, one per line: `PARTNER_CODE: reason`.
 * Returns code -> reason; a line without a reason is refused (the reason is recorded on the settlement line).
 */
export function parseOverrides(text: string | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, raw] of (text ?? '').split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([^:]+):(.*)$/.exec(line);
    if (!m || !m[1].trim() || !m[2].trim()) throw new RuleViolation('settlement:errors.badOverride', 'overrides', { line: i + 1, text: line });
    out[m[1].trim()] = m[2].trim();
  }
  return out;
}
