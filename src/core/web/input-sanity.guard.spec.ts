import { findNulField } from './input-sanity.guard';

describe('findNulField', () => {
  it('names the path of the first string with a NUL character', () => {
    expect(findNulField({ a: 'ok', b: { c: ['x', 'y\u0000z'] } })).toBe('b.c[1]');
    expect(findNulField('bad\u0000')).toBe('(value)');
  });
  it('passes clean input, numbers and empty bodies', () => {
    expect(findNulField({ a: 'ok', n: 1, list: ['é', '🙂', 'עברית'] })).toBeNull();
    expect(findNulField(undefined)).toBeNull();
  });
});
