import { dec } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';
import { RegionName, regionCovers as matchRegions } from '../regions/region-match.util';

export interface ChecklistState {
  receivingPartnerId: number | null;
  receivingManagerUserId: number | null;
  effectiveOn: string | null;
  documentsTransferred: boolean;
  openRecordsTransferred: boolean;
  arrearsListTransferred: boolean;
  customerInformedOn: string | null;
  receiverAcknowledged: boolean;
}

/** The six steps of one customer's handover, in checklist order; shown with `{{tv "exit:checklist" item}}`. */
export const CHECKLIST_ITEMS = ['receiver', 'documentsTransferred', 'openRecordsTransferred', 'arrearsListTransferred', 'customerInformedOn', 'receiverAcknowledged'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

/** A refusal as a catalogue key with its placeholders (translated where it is shown). */
export interface Refusal { message: string; params?: Record<string, unknown> }

/** The open items of one customer's handover, in checklist order (empty = complete). */
export function openChecklistItems(s: ChecklistState): ChecklistItem[] {
  const open: ChecklistItem[] = [];
  if ((s.receivingPartnerId === null && s.receivingManagerUserId === null) || !s.effectiveOn) open.push('receiver');
  if (!s.documentsTransferred) open.push('documentsTransferred');
  if (!s.openRecordsTransferred) open.push('openRecordsTransferred');
  if (!s.arrearsListTransferred) open.push('arrearsListTransferred');
  if (!s.customerInformedOn) open.push('customerInformedOn');
  if (!s.receiverAcknowledged) open.push('receiverAcknowledged');
  return open;
}

/** Progress 0..6 of the six checklist steps. */
export function checklistProgress(s: ChecklistState): { done: number; total: number } {
  return { done: 6 - openChecklistItems(s).length, total: 6 };
}

/** Why the exit cannot complete yet (null = it can); the database trigger enforces the same rule. */
export function completionRefusal(items: (ChecklistState & { customerCode: string })[], stillHeld: number, exitDate: string): Refusal | null {
  if (stillHeld > 0) return { message: 'exit:refusal.stillHeld', params: { count: stillHeld } };
  const open = items.filter((i) => openChecklistItems(i).length > 0);
  if (open.length) {
    const customers = open.slice(0, 5).map((i) => i.customerCode).join(', ');
    return open.length > 5 ? { message: 'exit:refusal.notFinishedMore', params: { customers, more: open.length - 5 } } : { message: 'exit:refusal.notFinished', params: { customers } };
  }
  const late = items.filter((i) => i.effectiveOn && i.effectiveOn > exitDate);
  if (late.length) return { message: 'exit:refusal.afterExitDate', params: { customers: late.map((i) => i.customerCode).join(', '), date: exitDate } };
  return null;
}

export interface Candidate {
  partnerId: number;
  code: string;
  name: string;
  status: string;
  region: string;
  tier: 'A' | 'B' | 'C' | null;
  quota: number;
  currentCustomers: number;
  lastScore: string | null;
}

/**
 * Why a partner may not receive this customer, or null. Regions are compared through the region list (`regions`,
 * from RegionsService), so "Anshun" and "安顺市" are the same place and a county counts under its prefecture.
 */
export function receiverRefusal(c: Candidate, customerRegion: string, exitingPartnerId: number, regions: readonly RegionName[] = []): Refusal | null {
  if (c.partnerId === exitingPartnerId) return { message: 'exit:refusal.ownCustomers' };
  if (c.status !== 'active') return { message: 'exit:refusal.notActive', params: { code: c.code, status: `exit:partnerStatus.${c.status}` } };
  if (c.currentCustomers >= c.quota) return { message: 'exit:refusal.quotaFull', params: { code: c.code, tier: c.tier ?? '?', current: c.currentCustomers, quota: c.quota } };
  if (!regionCovers(c.region ?? '', customerRegion ?? '', regions)) return { message: 'exit:refusal.wrongRegion', params: { code: c.code, region: c.region || '—', customerRegion } };
  return null;
}

/** A partner covers a customer's region when one of its regions is the same place in the region list (or the county's prefecture). */
export function regionCovers(partnerRegion: string, customerRegion: string, regions: readonly RegionName[] = []): boolean {
  return matchRegions(partnerRegion ?? '', customerRegion ?? '', regions);
}

const TIER_RANK: Record<string, number> = { A: 0, B: 1, C: 2 };

/**
 * Eligible receivers first, ranked by region match, then tier (A before C), then last confirmed score (higher first),
 * then spare capacity; ineligible ones follow with their reason.
 */
export function rankCandidates(candidates: Candidate[], customerRegion: string, exitingPartnerId: number, regions: readonly RegionName[] = []): (Candidate & { eligible: boolean; refusal: Refusal | null })[] {
  return candidates
    .filter((c) => c.partnerId !== exitingPartnerId)
    .map((c) => ({ ...c, refusal: receiverRefusal(c, customerRegion, exitingPartnerId, regions), covers: regionCovers(c.region, customerRegion, regions) }))
    .map(({ covers, ...c }) => ({ ...c, eligible: c.refusal === null, covers }))
    .sort((a, b) =>
      Number(b.eligible) - Number(a.eligible)
      || Number(b.covers) - Number(a.covers)
      || (TIER_RANK[a.tier ?? 'Z'] ?? 9) - (TIER_RANK[b.tier ?? 'Z'] ?? 9)
      || dec(b.lastScore ?? -1).cmp(a.lastScore ?? -1)
      || (b.quota - b.currentCustomers) - (a.quota - a.currentCustomers)
      || a.code.localeCompare(b.code))
    .map(({ covers: _covers, ...c }) => c);
}

export function assertChecklistUpdate(s: ChecklistState, today: string): void {
  if (s.customerInformedOn && s.customerInformedOn > today) throw new RuleViolation('exit:errors.informedInFuture', 'customerInformedOn');
  const anyTick = s.documentsTransferred || s.openRecordsTransferred || s.arrearsListTransferred || !!s.customerInformedOn || s.receiverAcknowledged;
  if (anyTick && s.receivingPartnerId === null && s.receivingManagerUserId === null) {
    throw new RuleViolation('exit:errors.receiverFirst', 'receiver');
  }
}
