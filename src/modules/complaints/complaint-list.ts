import { Actor } from '../../core/auth/actor';
import { ListSpec } from '../../core/web/list-query';
import { COMPLAINT_CATEGORIES, ComplaintCategory, ComplaintKind, ComplaintStatus, isComplaintStatus, Satisfaction } from './complaint-rules.util';

export interface ComplaintRow {
  id: number; customerId: number; partnerId: number | null; managerUserId: number | null; customerClass: 'A' | 'B' | 'C';
  kind: ComplaintKind; category: ComplaintCategory; description: string; source: 'partner' | 'manager' | 'import'; reference: string | null;
  receivedAt: Date; limitHours: number; dueAt: Date; status: ComplaintStatus; escalatedAt: Date | null; escalatedAuto: boolean | null; escalationReason: string | null;
  startedAt: Date | null; resolvedAt: Date | null; firstResolvedAt: Date | null; rootCause: string | null; correctiveAction: string | null;
  visitDueAt: Date | null; visitedAt: Date | null; satisfaction: Satisfaction | null; reopenCount: number; closedAt: Date | null; createdAt: Date;
  customerCode: string; customerName: string; region: string; partnerCode: string | null; partnerName: string | null; managerName: string | null;
  overdue?: boolean; visitOverdue?: boolean; onTime?: boolean | null;
}

export interface ComplaintFilter {
  status?: ComplaintStatus; category?: ComplaintCategory; customerClass?: 'A' | 'B' | 'C'; partnerId?: number; region?: string;
  escalated?: boolean; overdue?: boolean; q?: string;
}

/** Sortable columns of the work-order lists (URL key → SQL over SELECT_COMPLAINTS). */
export const COMPLAINTS_LIST: ListSpec = {
  sortable: {
    id: 'o.id', receivedAt: 'o.received_at', dueAt: 'o.due_at', customer: 'c.code', class: 'o.customer_class', category: 'o.category',
    partner: 'p.code', region: 'c.region', status: 'o.status', visitDueAt: 'o.visit_due_at',
  },
  defaultSort: 'receivedAt', defaultDir: 'desc', pageSize: 50, tieBreaker: 'o.id',
};

/** A list filter from a query string: anything malformed is ignored (never an error page). */
export function parseComplaintFilter(q: Record<string, string>): ComplaintFilter {
  const int = (v?: string) => (v && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
  return {
    status: isComplaintStatus(q.status) ? q.status : undefined,
    category: COMPLAINT_CATEGORIES.includes(q.category as ComplaintCategory) ? (q.category as ComplaintCategory) : undefined,
    customerClass: q.customerClass === 'A' || q.customerClass === 'B' || q.customerClass === 'C' ? q.customerClass : undefined,
    partnerId: int(q.partnerId),
    region: q.region && q.region.length <= 40 ? q.region : undefined,
    escalated: q.escalated === '1' ? true : undefined,
    overdue: q.overdue === '1' ? true : undefined,
    q: q.q && q.q.trim().length <= 60 ? q.q.trim() || undefined : undefined,
  };
}

/** The WHERE clause of a list: a partner user only ever sees its own partner's work orders. */
/** `scope`: a channel manager's regions (#17; null = everything) — work orders of customers there only. */
export function whereFor(actor: Actor, f: ComplaintFilter, now: Date, scope: string[] | null = null): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replaceAll('?', `$${params.length}`)); };
  if (actor.role === 'partner') add('o.partner_id = ?', actor.partnerId ?? -1);
  else if (f.partnerId) add('o.partner_id = ?', f.partnerId);
  if (scope) add('c.region = ANY(?::text[])', scope);
  if (f.status) add('o.status = ?', f.status);
  if (f.category) add('o.category = ?', f.category);
  if (f.customerClass) add('o.customer_class = ?', f.customerClass);
  if (f.region) add('c.region = ?', f.region);
  if (f.escalated) where.push('o.escalated_at IS NOT NULL');
  if (f.overdue) add(`o.status IN ('open','in_progress') AND o.due_at < ?`, now);
  if (f.q) add(`(c.code ILIKE ? OR c.name ILIKE ?)`, `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}
