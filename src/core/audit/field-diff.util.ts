/**
 * Master-data history (#17): the fields an edit really changes, one history row each (field, old → new).
 * Values are compared as trimmed strings; blank and null are the same (a cleared optional date), so saving a
 * form unchanged writes no history.
 */
export interface FieldChange { field: string; oldValue: string | null; newValue: string | null }

export function normalizeValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** Changes of the listed fields from `before` to `after`; fields absent from `after` are left as they are. */
export function diffFields<F extends string>(fields: readonly F[], before: Partial<Record<F, unknown>>, after: Partial<Record<F, unknown>>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of fields) {
    if (!(field in after) || after[field] === undefined) continue;
    const oldValue = normalizeValue(before[field]);
    const newValue = normalizeValue(after[field]);
    if (oldValue !== newValue) out.push({ field, oldValue, newValue });
  }
  return out;
}

/** The audit entry's before/after objects of a set of changes. */
export function auditOf(changes: FieldChange[]): { before: Record<string, string | null>; after: Record<string, string | null> } {
  return {
    before: Object.fromEntries(changes.map((c) => [c.field, c.oldValue])),
    after: Object.fromEntries(changes.map((c) => [c.field, c.newValue])),
  };
}
