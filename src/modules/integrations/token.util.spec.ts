import { bearerToken, hashToken, newToken, retryDelaySeconds, signWebhook, validScopes, verifyWebhook } from './token.util';

describe('service tokens', () => {
  it('are long, prefixed, different each time, and stored as their sha256 only', () => {
    const a = newToken();
    const b = newToken();
    expect(a.token).toMatch(/^ppt_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.prefix).toBe(a.token.slice(0, 12));
  });

  it('are read only from a Bearer header carrying our prefix', () => {
    expect(bearerToken('Bearer ppt_abc')).toBe('ppt_abc');
    expect(bearerToken('bearer   ppt_abc ')).toBe('ppt_abc');
    expect(bearerToken('Basic ppt_abc')).toBeNull();
    expect(bearerToken('Bearer other')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('accept only known scopes', () => {
    expect(validScopes(['accruals:write', 'settlement:read'])).toBe(true);
    expect(validScopes(['accruals:delete'])).toBe(false);
    expect(validScopes([])).toBe(false);
  });
});

describe('webhook signatures', () => {
  const body = '{"id":"e1","type":"batch.approved"}';
  it('verify with the same secret and body, fail otherwise', () => {
    const h = signWebhook('s3cret', body, 1_800_000_000);
    expect(h).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('s3cret', body, h, 1_800_000_010)).toBe(true);
    expect(verifyWebhook('other', body, h, 1_800_000_010)).toBe(false);
    expect(verifyWebhook('s3cret', body + ' ', h, 1_800_000_010)).toBe(false);
  });
  it('refuse a stale timestamp (replay)', () => {
    const h = signWebhook('s3cret', body, 1_800_000_000);
    expect(verifyWebhook('s3cret', body, h, 1_800_000_000 + 301)).toBe(false);
  });
  it('back off exponentially, capped', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(20)).toBe(3600);
  });
});
