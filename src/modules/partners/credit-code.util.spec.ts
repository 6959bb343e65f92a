import { t } from '../../core/i18n/i18n';
import { creditCodeCheckChar, creditCodeProblem, isValidCreditCode } from './credit-code.util';

/** the algorithm of test/support/test-app.ts testCreditCode, written independently (alphabet lookup, not our helper) */
function testCreditCode(n: number): string {
  const body = `91520100${String(n).padStart(9, '0')}`;
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = body.split('').reduce((acc, ch, i) => acc + alphabet.indexOf(ch) * weights[i], 0);
  return body + alphabet[(31 - (sum % 31)) % 31];
}

describe('unified social credit code checksum', () => {
  it.each(['91350100M000100Y43', '914403001922038216', '91520100MA6DM0MN1' + creditCodeCheckChar('91520100MA6DM0MN1')])('accepts %s', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
  });

  it('accepts the codes the test fixtures generate', () => {
    for (const n of [1, 2, 42, 999, 123456]) expect(isValidCreditCode(testCreditCode(n))).toBe(true);
  });

  it('maps a remainder of 0 to check character 0', () => {
    // body whose weighted sum is 0 mod 31: all zeros
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
  });

  it('accepts lower case and surrounding spaces', () => {
    expect(isValidCreditCode(' 91350100m000100y43 ')).toBe(true);
  });

  it('refuses a wrong check character and says what was expected', () => {
    const problem = creditCodeProblem('91350100M000100Y44')!;
    expect(problem).toEqual({ message: 'partners:creditCode.check', params: { expected: '3', got: '4' } });
    expect(t('en', problem.message, problem.params)).toBe('check character is wrong: expected 3, got 4 (mistyped code?)');
    expect(t('zh-CN', problem.message, problem.params)).toBe('校验位不正确：应为 3，实为 4（是否输错？）');
  });

  it('refuses a wrong length', () => {
    expect(creditCodeProblem('91350100M000100Y4')).toEqual({ message: 'partners:creditCode.length', params: { got: 17 } });
    expect(creditCodeProblem('')?.params).toEqual({ got: 0 });
  });

  it('refuses letters outside the alphabet', () => {
    expect(creditCodeProblem('91350100M000100I43')).toEqual({ message: 'partners:creditCode.char', params: { char: 'I' } });
    expect(creditCodeProblem('9135010OM000100Y43')?.params).toEqual({ char: 'O' });
  });

  it('detects a swapped pair of characters', () => {
    expect(isValidCreditCode('91351000M000100Y43')).toBe(false);
  });
});
