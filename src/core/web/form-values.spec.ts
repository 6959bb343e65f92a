import { toBoolean, toBooleanBlankUnset, toIntKeepBlank, toOptionalInt } from './form-values';

const v = (value: unknown) => ({ value });

describe('form value transforms', () => {
  it('reads integers, treating blanks as not given or keeping them for the validator', () => {
    expect(toOptionalInt(v('42'))).toBe(42);
    expect(toOptionalInt(v(''))).toBeUndefined();
    expect(Number.isNaN(toOptionalInt(v('abc')) as number)).toBe(true);
    expect(toIntKeepBlank(v(''))).toBe('');
    expect(toIntKeepBlank(v('7'))).toBe(7);
  });
  it('reads checkboxes and JSON booleans', () => {
    for (const yes of [true, 'true', 'on', '1']) expect(toBoolean(v(yes))).toBe(true);
    for (const no of [false, 'false', '0', 'off', '']) expect(toBoolean(v(no))).toBe(false);
    expect(toBooleanBlankUnset(v(''))).toBeUndefined();
    expect(toBooleanBlankUnset(v('on'))).toBe(true);
    expect(toBooleanBlankUnset(v('false'))).toBe(false);
  });
});
