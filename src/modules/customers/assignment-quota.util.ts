import { Role } from '../../core/auth/actor';
import { RuleViolation } from '../../core/web/errors';
import { RegionName, regionCovers } from '../regions/region-match.util';

/**
 * Tier quotas where customers are assigned (seed 003 资源合理倾斜): a partner holds at most its tier's customer quota
 * (tier policy, A 200 / B 100 / C 50 by default; a partner without a tier counts as C) and only customers in the
 * regions it serves. Used by the manual reassignment, the handover of an exiting partner's customers and (through
 * CustomersService.assignmentRefusals) the customer import. Pure, so it is tested without a database.
 */
export interface AssignmentQuotaInput {
  partnerCode: string;
  tier: string | null;
  /** the customer quota of the partner's tier */
  quota: number;
  /** customers the partner holds now */
  current: number;
  /** customers this assignment adds (an import may add several at once; default 1) */
  adding?: number;
  partnerRegion: string;
  customerRegion: string;
  regions?: readonly RegionName[];
}

/** A refusal as a catalogue key and its placeholders (translated where it is shown). */
export interface AssignmentRefusal { message: string; params: Record<string, unknown> }

/** Why the assignment is beyond the partner's quota or outside its regions (empty: it is within both). */
export function assignmentRefusals(i: AssignmentQuotaInput): AssignmentRefusal[] {
  const out: AssignmentRefusal[] = [];
  const adding = i.adding ?? 1;
  if (i.current + adding > i.quota) {
    out.push({ message: 'customers:errors.quotaFull', params: { code: i.partnerCode, tier: i.tier ?? '—', current: i.current, quota: i.quota } });
  }
  if (!regionCovers(i.partnerRegion ?? '', i.customerRegion ?? '', i.regions ?? [])) {
    out.push({ message: 'customers:errors.outsideRegion', params: { code: i.partnerCode, region: i.partnerRegion || '—', customerRegion: i.customerRegion || '—' } });
  }
  return out;
}

/** Roles that may override a quota or region refusal (with a reason). */
export const OVERRIDE_ROLES: readonly Role[] = ['admin', 'channel_manager'];

/**
 * The decision: no refusal → assign; refusals and a manager's override reason → assign, overridden (the reason is
 * stored and audited); otherwise refused with the first reason on the receiving partner's field.
 */
export function decideAssignment(refusals: AssignmentRefusal[], override: { role: Role; reason?: string | null }, field = 'partnerId'): { overridden: boolean; overrideReason: string | null } {
  const reason = (override.reason ?? '').trim();
  if (reason && !OVERRIDE_ROLES.includes(override.role)) throw new RuleViolation('customers:errors.overrideNotAllowed', 'overrideReason');
  if (!refusals.length) return { overridden: false, overrideReason: null };
  if (!reason) throw new RuleViolation(refusals[0].message, field, refusals[0].params);
  return { overridden: true, overrideReason: reason };
}

/** The quota of a tier from the tier policy rows (no tier: the lowest tier's quota). */
export function quotaOf(tier: string | null, policies: { tier: string; customerQuota: number }[]): number {
  const byTier = new Map(policies.map((p) => [p.tier.trim(), p.customerQuota]));
  return byTier.get((tier ?? '').trim()) ?? byTier.get('C') ?? 0;
}
