import { dec } from '../../core/money/money.util';
import { RuleViolation } from '../../core/web/errors';

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

export const CHECKLIST_LABELS = {
  receiver: 'receiver assigned',
  documentsTransferred: 'customer documents transferred',
  openRecordsTransferred: 'open service records/complaints transferred',
  arrearsListTransferred: 'arrears list transferred',
  customerInformedOn: 'customer informed',
  receiverAcknowledged: 'receiver acknowledged',
} as const;

/** The open items of one customer's handover, in checklist order (empty = complete). */
export function openChecklistItems(s: ChecklistState): string[] {
  const open: string[] = [];
  if ((s.receivingPartnerId === null && s.receivingManagerUserId === null) || !s.effectiveOn) open.push(CHECKLIST_LABELS.receiver);
  if (!s.documentsTransferred) open.push(CHECKLIST_LABELS.documentsTransferred);
  if (!s.openRecordsTransferred) open.push(CHECKLIST_LABELS.openRecordsTransferred);
  if (!s.arrearsListTransferred) open.push(CHECKLIST_LABELS.arrearsListTransferred);
  if (!s.customerInformedOn) open.push(CHECKLIST_LABELS.customerInformedOn);
  if (!s.receiverAcknowledged) open.push(CHECKLIST_LABELS.receiverAcknowledged);
  return open;
}

/** Progress 0..6 of the six checklist steps. */
export function checklistProgress(s: ChecklistState): { done: number; total: number } {
  return { done: 6 - openChecklistItems(s).length, total: 6 };
}

/** Why the exit cannot complete yet (null = it can); the database trigger enforces the same rule. */
export function completionRefusal(items: (ChecklistState & { customerCode: string })[], stillHeld: number, exitDate: string): string | null {
  if (stillHeld > 0) return `${stillHeld} customer(s) are still assigned to the partner; hand every customer over first.`;
  const open = items.filter((i) => openChecklistItems(i).length > 0);
  if (open.length) return `The handover of ${open.slice(0, 5).map((i) => `${i.customerCode} (${openChecklistItems(i).join(', ')})`).join('; ')}${open.length > 5 ? ` and ${open.length - 5} more` : ''} is not finished.`;
  const late = items.filter((i) => i.effectiveOn && i.effectiveOn > exitDate);
  if (late.length) return `The handover of ${late.map((i) => i.customerCode).join(', ')} takes effect after the exit date ${exitDate}.`;
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

/** Why a partner may not receive this customer, or null. */
export function receiverRefusal(c: Candidate, customerRegion: string, exitingPartnerId: number): string | null {
  if (c.partnerId === exitingPartnerId) return 'the exiting partner cannot receive its own customers';
  if (c.status !== 'active') return `${c.code} is ${c.status}; only an active partner can receive customers`;
  if (c.currentCustomers >= c.quota) return `${c.code} is at its tier ${c.tier ?? '?'} quota (${c.currentCustomers}/${c.quota} customers)`;
  if (!regionCovers(c.region, customerRegion)) return `${c.code} covers ${c.region || 'no region'}, not the customer's region ${customerRegion}`;
  return null;
}

/** A partner covers a customer's region when one of its regions (comma or slash separated) equals it. */
export function regionCovers(partnerRegion: string, customerRegion: string): boolean {
  const norm = (s: string) => s.trim().toLowerCase();
  return (partnerRegion ?? '').split(/[,，/、;]+/).map(norm).filter(Boolean).includes(norm(customerRegion ?? ''));
}

const TIER_RANK: Record<string, number> = { A: 0, B: 1, C: 2 };

/**
 * Eligible receivers first, ranked by region match, then tier (A before C), then last confirmed score (higher first),
 * then spare capacity; ineligible ones follow with their reason.
 */
export function rankCandidates(candidates: Candidate[], customerRegion: string, exitingPartnerId: number): (Candidate & { eligible: boolean; refusal: string | null })[] {
  return candidates
    .filter((c) => c.partnerId !== exitingPartnerId)
    .map((c) => ({ ...c, refusal: receiverRefusal(c, customerRegion, exitingPartnerId) }))
    .map((c) => ({ ...c, eligible: c.refusal === null }))
    .sort((a, b) =>
      Number(b.eligible) - Number(a.eligible)
      || Number(regionCovers(b.region, customerRegion)) - Number(regionCovers(a.region, customerRegion))
      || (TIER_RANK[a.tier ?? 'Z'] ?? 9) - (TIER_RANK[b.tier ?? 'Z'] ?? 9)
      || dec(b.lastScore ?? -1).cmp(a.lastScore ?? -1)
      || (b.quota - b.currentCustomers) - (a.quota - a.currentCustomers)
      || a.code.localeCompare(b.code));
}

export function assertChecklistUpdate(s: ChecklistState, today: string): void {
  if (s.customerInformedOn && s.customerInformedOn > today) throw new RuleViolation('The date the customer was informed cannot be in the future.', 'customerInformedOn');
  const anyTick = s.documentsTransferred || s.openRecordsTransferred || s.arrearsListTransferred || !!s.customerInformedOn || s.receiverAcknowledged;
  if (anyTick && s.receivingPartnerId === null && s.receivingManagerUserId === null) {
    throw new RuleViolation('Assign a receiving partner or channel manager before ticking checklist items.', 'receiver');
  }
}
