import { addDays, diffDays } from './date.util';

/** What a partner can record. Duty templates say which of these fulfil them. */
export const RECORD_TYPES = [
  'visit', 'promotion', 'customer_development', 'sale', 'business_handling', 'records_update', 'training', 'consultation',
  'complaint_handled', 'arrears_collected', 'cross_sell', 'opportunity_reported', 'need_analysis', 'retention_attempt', 'win_back',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export const isRecordType = (v: unknown): v is RecordType => RECORD_TYPES.includes(v as RecordType);

/**
 * The duty set of each lifecycle stage, as the seed lists it (measure two). The migration seeds one template
 * per (stage, duty); admins may change counts and deadlines but this is the reference set.
 */
export const STAGE_DUTIES = {
  acquisition: ['promotion', 'customer_expansion', 'sales', 'business_handling', 'records_management'],
  development: ['promotion', 'business_handling', 'customer_service', 'arrears_collection'],
  maturity: ['promotion', 'business_handling', 'customer_service', 'arrears_collection', 'deepening', 'opportunity_discovery'],
  decline: ['promotion', 'business_handling', 'customer_service', 'arrears_collection', 'deepening', 'need_mining'],
  churn: ['customer_service', 'arrears_collection', 'retention', 'win_back'],
} as const;

export type CustomerClass = 'A' | 'B' | 'C';

export interface TemplateRule {
  requiredA: number; requiredB: number; requiredC: number;
  dueDays: number | null;
  hoursA: number | null; hoursB: number | null; hoursC: number | null;
  recordTypes: string[];
}

export function requiredFor(t: Pick<TemplateRule, 'requiredA' | 'requiredB' | 'requiredC'>, cls: CustomerClass): number {
  return cls === 'A' ? t.requiredA : cls === 'B' ? t.requiredB : t.requiredC;
}

/**
 * Due date of an item: the quarter's last day, or — when the template has `dueDays` — that many days after the
 * item opened (quarter start, or the stage-change day for items opened mid-quarter), never past the quarter end.
 */
export function dueDateFor(t: Pick<TemplateRule, 'dueDays'>, quarter: { start: string; end: string }, openedOn?: string): string {
  if (t.dueDays === null || t.dueDays === undefined) return quarter.end;
  const from = openedOn && openedOn > quarter.start ? openedOn : quarter.start;
  const due = addDays(from, t.dueDays - 1);
  return due < quarter.end ? due : quarter.end;
}

/** Items opened mid-quarter ask for the share of the quarter that is left (rounded up, at least 1 when any was required). */
export function proratedRequired(required: number, quarter: { start: string; end: string }, openedOn: string): number {
  if (required <= 0 || openedOn <= quarter.start) return required;
  const total = diffDays(quarter.start, quarter.end) + 1;
  const left = Math.max(0, diffDays(openedOn, quarter.end) + 1);
  return Math.max(1, Math.ceil((required * left) / total));
}

export interface ItemState { status: 'open' | 'fulfilled' | 'not_applicable'; requiredCount: number; fulfilledCount: number }

/** A record ticks an open item whose template accepts the record type; the item is fulfilled when the count is reached. */
export function tickItem(item: ItemState, recordType: string, acceptedTypes: readonly string[]): ItemState {
  if (item.status !== 'open' || !acceptedTypes.includes(recordType)) return item;
  const fulfilledCount = item.fulfilledCount + 1;
  return { ...item, fulfilledCount, status: fulfilledCount >= item.requiredCount ? 'fulfilled' : 'open' };
}

/** Completion counts: not-applicable items are left out, each item counts at most its required number. */
export function completion(items: ItemState[]): { required: number; fulfilled: number } {
  return items.filter((i) => i.status !== 'not_applicable').reduce((acc, i) => ({
    required: acc.required + i.requiredCount,
    fulfilled: acc.fulfilled + Math.min(i.fulfilledCount, i.requiredCount),
  }), { required: 0, fulfilled: 0 });
}

export const DEFAULT_COMPLAINT_HOURS: Record<CustomerClass, number> = { A: 4, B: 8, C: 24 };

export function complaintHoursFor(t: Pick<TemplateRule, 'hoursA' | 'hoursB' | 'hoursC'> | null, cls: CustomerClass): number {
  const h = t ? (cls === 'A' ? t.hoursA : cls === 'B' ? t.hoursB : t.hoursC) : null;
  return h ?? DEFAULT_COMPLAINT_HOURS[cls];
}

/** A complaint is handled on time when handled within the class's hours of being received (the limit itself counts). */
export function complaintOnTime(receivedAt: Date, handledAt: Date, hours: number): boolean {
  return handledAt.getTime() - receivedAt.getTime() <= hours * 3_600_000;
}

/** A record is entered on time when entered within the configured lag after the service happened. */
export function recordEnteredOnTime(occurredAt: Date, createdAt: Date, lagHours: number): boolean {
  return createdAt.getTime() - occurredAt.getTime() <= lagHours * 3_600_000;
}

export function isOverdue(item: { status: string; dueDate: string }, today: string): boolean {
  return item.status === 'open' && item.dueDate < today;
}
