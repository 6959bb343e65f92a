import { hashRecoveryCode, matchRecoveryCode, newRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, RECOVERY_ALPHABET } from './recovery-codes.util';

describe('recovery codes', () => {
  it('the alphabet has 32 symbols (unbiased from a byte) and none of 0, O, 1, I', () => {
    expect(new Set(RECOVERY_ALPHABET).size).toBe(32);
    expect(RECOVERY_ALPHABET).not.toMatch(/[01OI]/);
  });

  it('a code is two groups of five from the alphabet', () => {
    for (let i = 0; i < 50; i++) expect(newRecoveryCode()).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
  });

  it('typing is forgiving about case, spaces and the dash; anything else is not a code', () => {
    expect(normaliseRecoveryCode(' abcde-fghjk ')).toBe('ABCDEFGHJK');
    expect(normaliseRecoveryCode('ABCDE FGHJK')).toBe('ABCDEFGHJK');
    expect(normaliseRecoveryCode('123456')).toBeNull();
    expect(normaliseRecoveryCode('ABCDE-FGHJ0')).toBeNull(); // 0 is not in the alphabet
    expect(normaliseRecoveryCode(undefined)).toBeNull();
  });

  it('ten distinct codes; only salted hashes are stored, and equal codes would hash differently', () => {
    const { codes, stored } = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(new Set(stored.map((s) => s.salt)).size).toBe(10);
    const text = JSON.stringify(stored);
    for (const c of codes) {
      expect(text).not.toContain(c);
      expect(text).not.toContain(c.replace('-', ''));
    }
    expect(hashRecoveryCode('ABCDEFGHJK', 'a')).not.toBe(hashRecoveryCode('ABCDEFGHJK', 'b'));
  });

  it('matches a typed code to its stored row, and nothing else', () => {
    const { codes, stored } = newRecoveryCodes(3);
    const rows = stored.map((s, i) => ({ ...s, id: i + 1 }));
    expect(matchRecoveryCode(codes[1].toLowerCase(), rows)?.id).toBe(2);
    expect(matchRecoveryCode(codes[2].replace('-', ' '), rows)?.id).toBe(3);
    expect(matchRecoveryCode('ABCDE-FGHJK', rows)).toBeNull();
    expect(matchRecoveryCode('123456', rows)).toBeNull();
    expect(matchRecoveryCode(codes[0], [])).toBeNull();
  });
});
