import { parsePeriod } from '../../core/period/period.util';
import { addDays, diffDays } from './date.util';
import {
  complaintHoursFor, complaintOnTime, completion, dueDateFor, isOverdue, proratedRequired, recordEnteredOnTime, requiredFor, STAGE_DUTIES, tickItem,
} from './duty-rules.util';

const q3 = parsePeriod('2026Q3');

describe('stage duty sets (seed measure two)', () => {
  it('lists the seed duties per stage', () => {
    expect(STAGE_DUTIES.acquisition).toEqual(['promotion', 'customer_expansion', 'sales', 'business_handling', 'records_management']);
    expect(STAGE_DUTIES.development).toEqual(['promotion', 'business_handling', 'customer_service', 'arrears_collection']);
    expect(STAGE_DUTIES.maturity).toEqual([...STAGE_DUTIES.development, 'deepening', 'opportunity_discovery']);
    expect(STAGE_DUTIES.decline).toEqual([...STAGE_DUTIES.development, 'deepening', 'need_mining']);
    expect(STAGE_DUTIES.churn).toEqual(['customer_service', 'arrears_collection', 'retention', 'win_back']);
  });
});

describe('required count and due date', () => {
  it('picks the count of the customer class', () => {
    const t = { requiredA: 3, requiredB: 2, requiredC: 1 };
    expect([requiredFor(t, 'A'), requiredFor(t, 'B'), requiredFor(t, 'C')]).toEqual([3, 2, 1]);
  });
  it('is due at quarter end by default', () => {
    expect(dueDateFor({ dueDays: null }, q3)).toBe('2026-09-30');
  });
  it('is due N days after the quarter start (day 1 counts) or after a mid-quarter opening, capped at quarter end', () => {
    expect(dueDateFor({ dueDays: 30 }, q3)).toBe('2026-07-30');
    expect(dueDateFor({ dueDays: 30 }, q3, '2026-08-15')).toBe('2026-09-13');
    expect(dueDateFor({ dueDays: 60 }, q3, '2026-09-01')).toBe('2026-09-30');
  });
  it('prorates items opened mid-quarter, rounding up', () => {
    expect(proratedRequired(3, q3, '2026-07-01')).toBe(3);
    expect(proratedRequired(3, q3, '2026-08-16')).toBe(2); // 46 of 92 days left -> 1.5 -> 2
    expect(proratedRequired(1, q3, '2026-09-30')).toBe(1);
    expect(proratedRequired(0, q3, '2026-09-30')).toBe(0);
  });
});

describe('ticking and completion', () => {
  const open = { status: 'open' as const, requiredCount: 2, fulfilledCount: 0 };
  it('ticks only matching record types and fulfils at the required count', () => {
    const once = tickItem(open, 'visit', ['visit', 'promotion']);
    expect(once).toEqual({ status: 'open', requiredCount: 2, fulfilledCount: 1 });
    expect(tickItem(once, 'promotion', ['visit', 'promotion']).status).toBe('fulfilled');
    expect(tickItem(open, 'sale', ['visit'])).toBe(open);
  });
  it('does not tick fulfilled or not-applicable items', () => {
    const done = { status: 'fulfilled' as const, requiredCount: 1, fulfilledCount: 1 };
    expect(tickItem(done, 'visit', ['visit'])).toBe(done);
    expect(tickItem({ ...open, status: 'not_applicable' }, 'visit', ['visit']).fulfilledCount).toBe(0);
  });
  it('caps each item at its required count and leaves not-applicable items out', () => {
    expect(completion([
      { status: 'fulfilled', requiredCount: 2, fulfilledCount: 5 },
      { status: 'open', requiredCount: 3, fulfilledCount: 1 },
      { status: 'not_applicable', requiredCount: 4, fulfilledCount: 0 },
    ])).toEqual({ required: 5, fulfilled: 3 });
  });
});

describe('timeliness', () => {
  it('uses the class hours (A 4, B 8, C 24 by default) and counts the limit itself as on time', () => {
    expect(complaintHoursFor(null, 'A')).toBe(4);
    expect(complaintHoursFor({ hoursA: 2, hoursB: 6, hoursC: 12 }, 'C')).toBe(12);
    const r = new Date('2026-08-01T08:00:00Z');
    expect(complaintOnTime(r, new Date('2026-08-01T12:00:00Z'), 4)).toBe(true);
    expect(complaintOnTime(r, new Date('2026-08-01T12:00:01Z'), 4)).toBe(false);
  });
  it('judges record entry lag', () => {
    expect(recordEnteredOnTime(new Date('2026-08-01T08:00:00Z'), new Date('2026-08-04T08:00:00Z'), 72)).toBe(true);
    expect(recordEnteredOnTime(new Date('2026-08-01T08:00:00Z'), new Date('2026-08-04T08:01:00Z'), 72)).toBe(false);
  });
  it('knows an overdue item', () => {
    expect(isOverdue({ status: 'open', dueDate: '2026-09-30' }, '2026-10-01')).toBe(true);
    expect(isOverdue({ status: 'open', dueDate: '2026-09-30' }, '2026-09-30')).toBe(false);
    expect(isOverdue({ status: 'fulfilled', dueDate: '2026-09-30' }, '2026-12-01')).toBe(false);
  });
  it('does date arithmetic across months', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(diffDays('2026-07-01', '2026-09-30')).toBe(91);
  });
});
