import { noteWrite, touchDue } from './session-store';

describe('session touch throttle', () => {
  it('touches a session never written by this process', () => {
    expect(touchDue(undefined, 1_000, 60_000)).toBe(true);
  });

  it('skips the touch inside the interval and touches at its end', () => {
    expect(touchDue(1_000, 60_999, 60_000)).toBe(false);
    expect(touchDue(1_000, 61_000, 60_000)).toBe(true);
  });

  it('keeps the map bounded by forgetting entries older than the interval', () => {
    const m = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) m.set(`old${i}`, 0);
    m.set('recent', 100_000);
    noteWrite(m, 'new', 100_500, 60_000);
    expect(m.size).toBe(2);
    expect([...m.keys()].sort()).toEqual(['new', 'recent']);
  });
});
