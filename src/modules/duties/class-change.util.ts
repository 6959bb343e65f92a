import { addDays, diffDays } from './date.util';
import { CustomerClass, requiredFor, TemplateRule } from './duty-rules.util';

/**
 * A customer's class change (#17) re-plans its open checklist items from the change day:
 * - the due date follows the new class's time limit (the class hours, A 4 / B 8 / C 24 by default): the time left
 *   until the due date is scaled by new hours ÷ old hours — an upgrade to a faster class pulls it in, a downgrade
 *   pushes it out — never past the quarter's end and never before the change day; an item already overdue keeps
 *   its date (the lateness happened under the old class);
 * - the required count becomes the new class's count (as the quarterly generation would set it); an item whose
 *   records already reach it is fulfilled, one the new class does not ask for is not applicable from the change day.
 */
export interface OpenItem { dueDate: string; requiredCount: number; fulfilledCount: number }
export interface ItemPlan { dueDate: string; requiredCount: number; status: 'open' | 'fulfilled' | 'not_applicable' }

export function shiftedDueDate(dueDate: string, changedOn: string, quarter: { start: string; end: string }, oldHours: number, newHours: number): string {
  if (dueDate < changedOn || oldHours === newHours || oldHours <= 0 || newHours <= 0) return dueDate;
  const from = changedOn > quarter.start ? changedOn : quarter.start;
  if (dueDate < from) return dueDate;
  const left = diffDays(from, dueDate);
  const moved = addDays(from, Math.ceil((left * newHours) / oldHours));
  return moved > quarter.end ? quarter.end : moved;
}

export function planAfterClassChange(
  item: OpenItem, template: Pick<TemplateRule, 'requiredA' | 'requiredB' | 'requiredC'>, to: CustomerClass,
  changedOn: string, quarter: { start: string; end: string }, hours: { old: number; new: number },
): ItemPlan {
  const requiredCount = requiredFor(template, to);
  const dueDate = shiftedDueDate(item.dueDate, changedOn, quarter, hours.old, hours.new);
  if (requiredCount <= 0) return { dueDate, requiredCount: item.requiredCount, status: 'not_applicable' };
  return { dueDate, requiredCount, status: item.fulfilledCount >= requiredCount ? 'fulfilled' : 'open' };
}
