import { RuleViolation } from '../../core/web/errors';
import { COOPERATION_TYPES } from './partner.entity';

/** What a channel manager or admin edits on a partner (#17). The bank account is not here: it goes through the four-eyes change. */
export const PARTNER_EDITABLE_FIELDS = [
  'contactName', 'contactPhone', 'contactEmail', 'address', 'region', 'cooperationType', 'contractSignedOn', 'contractStartOn', 'contractEndOn',
] as const;
export type PartnerEditableField = (typeof PARTNER_EDITABLE_FIELDS)[number];
export type PartnerEdit = Partial<Record<PartnerEditableField, string | null>>;

/** Statuses in which the partner works under a signed contract: the signed date may not be cleared there. */
const CONTRACTED = ['approved', 'active', 'suspended', 'exiting'];

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
function isDay(v: string): boolean {
  if (!ISO_DAY.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * The merged result of an edit (stored values overlaid by the sent ones), checked: required contact fields, a known
 * cooperation type, real dates, start ≤ end and signed ≤ end. Refusals name their field (shown beside it on the form).
 */
export function checkPartnerEdit(stored: Record<PartnerEditableField, string | null>, edit: PartnerEdit, status: string): Record<PartnerEditableField, string | null> {
  const merged = { ...stored };
  for (const f of PARTNER_EDITABLE_FIELDS) {
    if (edit[f] === undefined) continue;
    const v = (edit[f] ?? '').trim();
    merged[f] = v === '' ? null : v;
  }
  for (const f of ['contactName', 'contactPhone', 'contactEmail', 'region'] as const) {
    if (!merged[f]) throw new RuleViolation(`partners:edit.errors.${f}`, f);
  }
  if (!/^[0-9+\-() ]{5,40}$/.test(merged.contactPhone!)) throw new RuleViolation('partners:edit.errors.contactPhone', 'contactPhone');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(merged.contactEmail!) || merged.contactEmail!.length > 200) throw new RuleViolation('partners:edit.errors.contactEmail', 'contactEmail');
  if ((merged.address ?? '').length > 300) throw new RuleViolation('partners:edit.errors.address', 'address');
  if (!COOPERATION_TYPES.includes(merged.cooperationType as never)) throw new RuleViolation('partners:edit.errors.cooperationType', 'cooperationType');
  for (const f of ['contractSignedOn', 'contractStartOn', 'contractEndOn'] as const) {
    if (merged[f] && !isDay(merged[f]!)) throw new RuleViolation('partners:edit.errors.date', f);
  }
  if (!merged.contractSignedOn && stored.contractSignedOn && CONTRACTED.includes(status)) throw new RuleViolation('partners:edit.errors.signedRequired', 'contractSignedOn');
  if (merged.contractStartOn && merged.contractEndOn && merged.contractEndOn < merged.contractStartOn) throw new RuleViolation('partners:edit.errors.endBeforeStart', 'contractEndOn');
  if (merged.contractSignedOn && merged.contractEndOn && merged.contractEndOn < merged.contractSignedOn) throw new RuleViolation('partners:edit.errors.endBeforeSigned', 'contractEndOn');
  return merged;
}

/**
 * Whether the edit should have the exit rules evaluated now: the contract end changed to a day already reached (the
 * contract-end trigger works from the stored date, so a later end simply fires on its day).
 */
export function contractEndReached(before: string | null, after: string | null, today: string): boolean {
  return !!after && after !== before && after <= today;
}
