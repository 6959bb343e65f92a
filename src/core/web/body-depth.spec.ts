import { nestsDeeperThan } from './body-depth';

describe('body depth', () => {
  const nest = (n: number) => JSON.parse('['.repeat(n) + ']'.repeat(n));
  it('accepts ordinary bodies', () => {
    expect(nestsDeeperThan({ a: { b: [1, { c: 'x' }] } }, 32)).toBe(false);
    expect(nestsDeeperThan(nest(32), 32)).toBe(false);
    expect(nestsDeeperThan('text', 32)).toBe(false);
  });
  it('finds 33 and 10,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nest(33), 32)).toBe(true);
    expect(nestsDeeperThan(nest(10_000), 32)).toBe(true);
    expect(nestsDeeperThan(JSON.parse('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)), 32)).toBe(true);
  });
});
