import { hashAccountToken, looksLikeToken, newAccountToken, redactLinkTokens } from './account-token.util';

describe('one-time link secrets stay out of request logs', () => {
  it('replaces the token of reset and invitation URLs', () => {
    expect(redactLinkTokens('/password/reset/abcDEF_123-xyz')).toBe('/password/reset/[redacted]');
    expect(redactLinkTokens('/invitation/abcDEF_123?x=1')).toBe('/invitation/[redacted]?x=1');
    expect(redactLinkTokens('/partners/12')).toBe('/partners/12');
  });
});

describe('one-time link tokens', () => {
  it('are 43 URL-safe characters, stored as their SHA-256 only', () => {
    const { token, hash } = newAccountToken();
    expect(looksLikeToken(token)).toBe(true);
    expect(hash).toBe(hashAccountToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(newAccountToken().token).not.toBe(token);
    expect(looksLikeToken('../../etc/passwd')).toBe(false);
  });
});
