import { NotFoundException } from '@nestjs/common';
import { CsvImportError } from '../csv/csv.util';
import { RuleViolation } from '../web/errors';
import { asRefusal, countDataLines, SHOWN_ROW_ERRORS, throttledProgress } from './job-work.service';

describe('job work helpers', () => {
  it('counts the data lines of a file (header excluded, last line with or without a newline)', () => {
    expect(countDataLines(Buffer.from('a,b\n1,2\n3,4\n'))).toBe(2);
    expect(countDataLines(Buffer.from('a,b\n1,2\n3,4'))).toBe(2);
    expect(countDataLines(Buffer.from('a,b\n'))).toBe(0);
    expect(countDataLines(Buffer.from(''))).toBe(0);
  });

  it('keeps a refused file as a result: the first rows and the total; business rules and 4xx as their message', () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ row: i + 2, column: 'amount', message: 'settlement:csv.badAmount', params: { value: 'x' } }));
    const r = asRefusal(new CsvImportError(rows.slice(0, 240), 250));
    expect(r).toMatchObject({ ok: false, message: 'common:csv.refused', params: { count: 250 }, errorTotal: 250 });
    expect(r!.errors).toHaveLength(SHOWN_ROW_ERRORS);
    expect(asRefusal(new RuleViolation('errors:period.invalid', 'period', { value: 'x' }))).toEqual({ ok: false, message: 'errors:period.invalid', params: { value: 'x' } });
    expect(asRefusal(new NotFoundException('duties:errors.partnersOnly'))).toMatchObject({ ok: false, message: 'duties:errors.partnersOnly' });
    // anything else is unexpected: thrown again, so the queue retries it
    expect(asRefusal(new Error('connection reset'))).toBeNull();
  });

  it('writes progress at most once per interval, one write at a time, and the last figure on flush', async () => {
    const writes: [number, number | null | undefined][] = [];
    const p = throttledProgress({ id: 'x', progress: async (d, t) => { writes.push([d, t]); } }, 10_000);
    for (let i = 0; i <= 1000; i++) p.report(i, 1000);
    expect(writes).toEqual([[0, 1000]]);
    await p.flush();
    expect(writes).toEqual([[0, 1000], [1000, 1000]]);
  });
});
