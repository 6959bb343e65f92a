import { parseOverrides } from './overrides.util';

describe('P = 1 overrides typed by finance', () => {
  it('reads one partner per line with its reason', () => {
    expect(parseOverrides('P-0001: sheet lost in migration\n\n  P-0002 : new partner, first quarter \n')).toEqual({ 'P-0001': 'sheet lost in migration', 'P-0002': 'new partner, first quarter' });
    expect(parseOverrides('')).toEqual({});
    expect(parseOverrides(undefined)).toEqual({});
  });
  it('refuses a line without a reason', () => {
    expect(() => parseOverrides('P-0001')).toThrow(expect.objectContaining({ message: 'settlement:errors.badOverride', params: { line: 1, text: 'P-0001' } }));
    expect(() => parseOverrides('P-0001:   ')).toThrow('settlement:errors.badOverride');
  });
});
