import { RuleViolation } from '../../core/web/errors';
import { checkAnswer, checkRating, compareQueue, isOverdue, supportDueAt, tierRank } from './support.util';

describe('support rules', () => {
  it('is due the tier hours after the request, across midnight in the business time zone', () => {
    const at = new Date('2026-11-27T22:00:00+08:00');
    expect(supportDueAt(at, 4).toISOString()).toBe(new Date('2026-11-28T02:00:00+08:00').toISOString());
    expect(supportDueAt(at, 24).toISOString()).toBe(new Date('2026-11-28T22:00:00+08:00').toISOString());
    expect(() => supportDueAt(at, 0)).toThrow(RuleViolation);
  });

  it('is overdue only while open and past its due time', () => {
    const due = new Date('2026-11-28T02:00:00+08:00');
    expect(isOverdue({ status: 'open', dueAt: due }, new Date('2026-11-28T02:00:01+08:00'))).toBe(true);
    expect(isOverdue({ status: 'open', dueAt: due }, new Date('2026-11-28T01:59:59+08:00'))).toBe(false);
    expect(isOverdue({ status: 'answered', dueAt: due }, new Date('2026-12-01T00:00:00+08:00'))).toBe(false);
  });

  it('puts open requests first, better tiers first, then the earliest due', () => {
    const rows = [
      { id: 1, status: 'open', tier: 'C', dueAt: '2026-11-27T01:00:00Z' },
      { id: 2, status: 'open', tier: 'A', dueAt: '2026-11-27T05:00:00Z' },
      { id: 3, status: 'answered', tier: 'A', dueAt: '2026-11-26T00:00:00Z' },
      { id: 4, status: 'open', tier: 'A', dueAt: '2026-11-27T03:00:00Z' },
      { id: 5, status: 'open', tier: null, dueAt: '2026-11-26T00:00:00Z' },
      { id: 6, status: 'open', tier: 'B', dueAt: '2026-11-28T00:00:00Z' },
    ];
    expect([...rows].sort(compareQueue).map((r) => r.id)).toEqual([4, 2, 6, 1, 5, 3]);
    expect(tierRank('A')).toBeLessThan(tierRank('B'));
    expect(tierRank(null)).toBe(3);
  });

  it('answers need text and an unrated request', () => {
    expect(checkAnswer('open', '  已安排工程师  ')).toBe('已安排工程师');
    expect(() => checkAnswer('open', '  ')).toThrow('support:errors.answerRequired');
    expect(() => checkAnswer('closed', 'x')).toThrow('support:errors.alreadyClosed');
  });

  it('ratings are 1–5 on an answered request, a low one with a comment', () => {
    expect(checkRating('answered', 5, '')).toEqual({ rating: 5, comment: null });
    expect(checkRating('answered', 2, ' 太慢 ')).toEqual({ rating: 2, comment: '太慢' });
    expect(() => checkRating('answered', 1, '')).toThrow('support:errors.commentForLow');
    expect(() => checkRating('answered', 6, 'x')).toThrow('support:errors.badRating');
    expect(() => checkRating('answered', 2.5, 'x')).toThrow('support:errors.badRating');
    expect(() => checkRating('open', 4, '')).toThrow('support:errors.notAnswered');
    expect(() => checkRating('closed', 4, '')).toThrow('support:errors.alreadyRated');
  });
});
