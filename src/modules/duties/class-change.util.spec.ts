import { planAfterClassChange, shiftedDueDate } from './class-change.util';

const Q4 = { start: '2026-10-01', end: '2026-12-31' };
const T = { requiredA: 3, requiredB: 2, requiredC: 1 };

describe('class change: due dates and counts of open checklist items', () => {
  it('an upgrade C → A (24 h → 4 h) pulls the time left in to a sixth, counted from the change day', () => {
    // 30 days left on 2026-11-01 → 5 days
    expect(shiftedDueDate('2026-12-01', '2026-11-01', Q4, 24, 4)).toBe('2026-11-06');
    // B → A halves it, rounding up to whole days
    expect(shiftedDueDate('2026-11-04', '2026-11-01', Q4, 8, 4)).toBe('2026-11-03');
  });

  it('a downgrade pushes it out but never past the quarter end; same hours change nothing', () => {
    expect(shiftedDueDate('2026-11-06', '2026-11-01', Q4, 4, 8)).toBe('2026-11-11');
    expect(shiftedDueDate('2026-12-01', '2026-11-01', Q4, 4, 24)).toBe('2026-12-31');
    expect(shiftedDueDate('2026-12-01', '2026-11-01', Q4, 8, 8)).toBe('2026-12-01');
  });

  it('keeps an overdue item and one due on the change day where they are', () => {
    expect(shiftedDueDate('2026-10-31', '2026-11-01', Q4, 24, 4)).toBe('2026-10-31');
    expect(shiftedDueDate('2026-11-01', '2026-11-01', Q4, 24, 4)).toBe('2026-11-01');
  });

  it('a later quarter counts from its own start', () => {
    const Q1 = { start: '2027-01-01', end: '2027-03-31' };
    expect(shiftedDueDate('2027-03-31', '2026-11-15', Q1, 24, 4)).toBe('2027-01-16');
  });

  it('sets the new class count; fulfilled when the records reach it, not applicable when the class asks none', () => {
    expect(planAfterClassChange({ dueDate: '2026-12-31', requiredCount: 1, fulfilledCount: 1 }, T, 'A', '2026-11-01', Q4, { old: 24, new: 4 }))
      .toEqual({ dueDate: '2026-11-11', requiredCount: 3, status: 'open' });
    expect(planAfterClassChange({ dueDate: '2026-12-31', requiredCount: 3, fulfilledCount: 1 }, T, 'C', '2026-11-01', Q4, { old: 4, new: 24 }))
      .toEqual({ dueDate: '2026-12-31', requiredCount: 1, status: 'fulfilled' });
    expect(planAfterClassChange({ dueDate: '2026-12-31', requiredCount: 1, fulfilledCount: 0 }, { requiredA: 1, requiredB: 1, requiredC: 0 }, 'C', '2026-11-01', Q4, { old: 8, new: 24 }).status)
      .toBe('not_applicable');
  });
});
