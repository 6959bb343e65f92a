import { RuleViolation } from '../../core/web/errors';
import {
  canAct, checkResolution, dueAt, isOverdue, nextStatus, parseReceivedAt, resolvedOnTime, shouldEscalate, timelinessRate, visitDueAt, visitOutcome, visitOverdue,
} from './complaint-rules.util';

describe('complaint rules', () => {
  it('due time is received + the class limit (A 4 h, B 8 h, C 24 h), across midnight and month ends', () => {
    const received = new Date('2026-11-30T22:30:00+08:00');
    expect(dueAt(received, 4).toISOString()).toBe(new Date('2026-12-01T02:30:00+08:00').toISOString());
    expect(dueAt(received, 24).toISOString()).toBe(new Date('2026-12-01T22:30:00+08:00').toISOString());
    expect(() => dueAt(received, 0)).toThrow();
  });

  it('walks open → in progress → resolved → visited → closed and refuses skipped steps', () => {
    expect(nextStatus('open', 'start')).toBe('in_progress');
    expect(nextStatus('in_progress', 'resolve')).toBe('resolved');
    expect(nextStatus('open', 'resolve')).toBe('resolved'); // a quick fix needs no separate start
    expect(visitOutcome('resolved', 'satisfied')).toBe('visited');
    expect(visitOutcome('resolved', 'fairly_satisfied')).toBe('visited');
    expect(nextStatus('visited', 'close')).toBe('closed');
    expect(() => nextStatus('open', 'close')).toThrow(RuleViolation);
    expect(() => nextStatus('closed', 'start')).toThrow(RuleViolation);
    expect(() => visitOutcome('in_progress', 'satisfied')).toThrow(RuleViolation);
    expect(() => nextStatus('resolved', 'resolve')).toThrow(RuleViolation);
  });

  it('a dissatisfied (不满意) return visit reopens the order', () => {
    expect(visitOutcome('resolved', 'dissatisfied')).toBe('in_progress');
  });

  it('escalates an unfinished order once, when past its due time', () => {
    const due = new Date('2026-11-20T12:00:00+08:00');
    const after = new Date('2026-11-20T12:00:01+08:00');
    expect(shouldEscalate({ status: 'open', dueAt: due, escalatedAt: null }, after)).toBe(true);
    expect(shouldEscalate({ status: 'in_progress', dueAt: due, escalatedAt: null }, after)).toBe(true);
    expect(shouldEscalate({ status: 'open', dueAt: due, escalatedAt: null }, due)).toBe(false); // the limit itself is in time
    expect(shouldEscalate({ status: 'open', dueAt: due, escalatedAt: after }, after)).toBe(false);
    expect(shouldEscalate({ status: 'resolved', dueAt: due, escalatedAt: null }, after)).toBe(false);
    expect(isOverdue({ status: 'closed', dueAt: due }, after)).toBe(false);
    expect(canAct('open', 'escalate')).toBe(true);
    expect(canAct('open', 'escalate', after)).toBe(false);
    expect(canAct('visited', 'escalate')).toBe(false);
  });

  it('on time = first resolution no later than due', () => {
    const due = new Date('2026-11-20T12:00:00Z');
    expect(resolvedOnTime({ dueAt: due, firstResolvedAt: due })).toBe(true);
    expect(resolvedOnTime({ dueAt: due, firstResolvedAt: new Date(due.getTime() + 1) })).toBe(false);
    expect(resolvedOnTime({ dueAt: due, firstResolvedAt: null })).toBeNull();
    expect(timelinessRate(49, 50)).toBe(98);
    expect(timelinessRate(2, 3)).toBe(66.67);
    expect(timelinessRate(0, 0)).toBe(100);
  });

  it('the return visit is due by the end of the 3rd day after the day of resolution (business time zone)', () => {
    expect(process.env.TZ ?? 'Asia/Shanghai').toBe('Asia/Shanghai');
    const resolved = new Date('2026-11-20T15:00:00+08:00');
    expect(visitDueAt(resolved, 3).toISOString()).toBe(new Date('2026-11-23T23:59:59.999+08:00').toISOString());
    // late at night UTC is already the next day in Shanghai
    expect(visitDueAt(new Date('2026-11-20T17:00:00Z'), 3).toISOString()).toBe(new Date('2026-11-24T23:59:59.999+08:00').toISOString());
    const due = visitDueAt(resolved, 3);
    expect(visitOverdue({ status: 'resolved', visitDueAt: due }, new Date(due.getTime() + 1))).toBe(true);
    expect(visitOverdue({ status: 'visited', visitDueAt: due }, new Date(due.getTime() + 1))).toBe(false);
  });

  it('a resolution needs a root cause and a corrective action', () => {
    expect(checkResolution({ rootCause: ' 光缆被挖断 ', correctiveAction: '熔接并巡检' })).toEqual({ rootCause: '光缆被挖断', correctiveAction: '熔接并巡检' });
    expect(() => checkResolution({ rootCause: '', correctiveAction: 'x' })).toThrow(expect.objectContaining({ field: 'rootCause' }));
    expect(() => checkResolution({ rootCause: 'x', correctiveAction: ' ' })).toThrow(expect.objectContaining({ field: 'correctiveAction' }));
  });

  it('reads the received time in the business time zone and refuses the future', () => {
    const now = new Date('2026-11-27T10:00:00+08:00');
    expect(parseReceivedAt('2026-11-27T08:30', now).toISOString()).toBe(new Date('2026-11-27T08:30:00+08:00').toISOString());
    expect(parseReceivedAt('', now)).toBe(now);
    expect(() => parseReceivedAt('2026-11-28T08:30', now)).toThrow(RuleViolation);
    expect(() => parseReceivedAt('yesterday', now)).toThrow(RuleViolation);
  });
});
