import { generate, generateSecret } from 'otplib';
import { randomBytes } from 'node:crypto';
import { englishWordsOnPage, rawKeys, visibleText } from '../i18n/page-text';
import { createTestApp, Session, TestApp, TEST_PASSWORD } from '../support/test-app';

const CODE = /<code>([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5})<\/code>/g;

/**
 * Living with the staff second factor: recovery codes (shown once, stored hashed, one use each, regenerated with a
 * TOTP code), no replay of an accepted TOTP code, and an admin's reset for a lost phone (reason, audit, sessions end).
 */
describe('second factor: recovery codes, replay, admin reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REQUIRE_MFA_FOR: 'finance', SMTP_URL: '' });
    t.lang = 'zh-CN';
  });
  afterAll(() => t?.close());

  /** Enrols the signed-in user; the recovery codes as the page after the confirmation shows them. */
  async function enrol(s: Session) {
    const first = await s.get('/account/mfa').expect(200);
    const secret = /<code>([A-Z2-7]{16,})<\/code>/.exec(first.text)![1];
    const done = await s.postForm('/account/mfa/confirm', { code: await generate({ secret }) });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/account');
    const page = await s.get('/account').expect(200);
    expect(page.headers['cache-control']).toContain('no-store');
    return { secret, page: page.text, codes: [...page.text.matchAll(CODE)].map((m) => m[1]) };
  }

  /** A later code in the same 30 s would be a replay: tests that are not about replay start from no accepted step. */
  const forgetStep = (userId: number) => t.db.query(`UPDATE user_account SET totp_last_step = NULL WHERE id = $1`, [userId]);

  async function signIn(username: string, code?: string) {
    const anon = await t.anonymousWithCsrf();
    const res = await anon.post('/api/auth/login', { username, password: TEST_PASSWORD, ...(code === undefined ? {} : { code }) });
    return { res, session: res.status === 200 ? new Session(anon.agent, res.body.csrfToken, res.body.user) : null };
  }

  const unusedCodes = async (userId: number) => (await t.db.query(`SELECT count(*)::int AS n FROM mfa_recovery_code WHERE user_id = $1 AND used_at IS NULL`, [userId]))[0].n;
  const auditOf = (userId: number, action: string) => t.db.query(`SELECT actor_user_id, reason, after FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 AND action = $2 ORDER BY id`, [String(userId), action]);

  it('enrolment shows 10 recovery codes once (zh-CN page), and only salted hashes are stored', async () => {
    const u = await t.createUser('channel_manager');
    const s = await t.login(u.username);
    const { codes, page } = await enrol(s);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // the Chinese pages: the codes once on the page after the confirmation, then the count and the regeneration
    // on /account/mfa; no English UI words, no raw keys
    for (const label of ['您的新恢复码', '这些恢复码只显示这一次', '两步验证已开启']) expect(page).toContain(label);
    const mfaPage = (await s.get('/account/mfa').expect(200)).text;
    for (const label of ['恢复码', '还剩 10 个未使用的恢复码', '重新生成恢复码', '之前的恢复码全部失效', '关闭两步验证']) expect(mfaPage).toContain(label);
    for (const html of [page, mfaPage]) {
      const text = visibleText(html);
      expect(rawKeys(text)).toEqual([]);
      expect(englishWordsOnPage(text, new Set([u.username]))).toEqual([]);
    }

    const rows = await t.db.query(`SELECT * FROM mfa_recovery_code WHERE user_id = $1`, [u.id]);
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const c of codes) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(c.replace('-', ''));
    }
    expect(new Set(rows.map((r: { salt: string }) => r.salt)).size).toBe(10);
    // shown once: the next views have no codes
    expect([...mfaPage.matchAll(CODE)]).toHaveLength(0);
    expect([...(await s.get('/account').expect(200)).text.matchAll(CODE)]).toHaveLength(0);
  });

  it('a recovery code signs in once (in the code field, any case) and never again; the count goes down; audited', async () => {
    const u = await t.createUser('admin');
    const { codes } = await enrol(await t.login(u.username));
    const first = await signIn(u.username, codes[0].toLowerCase().replace('-', ' '));
    expect(first.res.status).toBe(200);
    const second = await signIn(u.username, codes[0]);
    expect(second.res.status).toBe(401);
    expect(second.res.body.message).toContain('已使用过');
    expect(await unusedCodes(u.id)).toBe(9);
    expect((await first.session!.get('/account/mfa').expect(200)).text).toContain('还剩 9 个未使用的恢复码');
    const [entry] = await auditOf(u.id, 'user.mfa.recovery.use');
    expect(entry.actor_user_id).toBe(u.id);
    expect(entry.after).toEqual({ recoveryCodesLeft: 9 });
    // another code still works, and a made-up one does not
    expect((await signIn(u.username, codes[1])).res.status).toBe(200);
    expect((await signIn(u.username, 'ABCDE-FGHJK')).res.status).toBe(401);
  });

  it('a TOTP code that was accepted once is refused the second time', async () => {
    const u = await t.createUser('channel_manager');
    const { secret } = await enrol(await t.login(u.username));
    await forgetStep(u.id);
    const code = await generate({ secret });
    expect((await signIn(u.username, code)).res.status).toBe(200);
    const replay = await signIn(u.username, code);
    expect(replay.res.status).toBe(401);
    expect(replay.res.body.message).toContain('已使用过');
    const [row] = await t.db.query(`SELECT totp_last_step FROM user_account WHERE id = $1`, [u.id]);
    expect(Number(row.totp_last_step)).toBeGreaterThan(0);
  });

  it('regenerating needs a current TOTP code (not a recovery code), shows 10 new codes, and the old ones stop working', async () => {
    const u = await t.createUser('admin');
    const s = await t.login(u.username);
    const { secret, codes: old } = await enrol(s);
    const refuse = (code: string) => s.post('/account/mfa/recovery-codes', { code }).set('Accept', 'application/json');
    expect((await refuse('000000')).status).toBe(400);
    expect((await refuse(old[0])).status).toBe(400);
    expect((await s.post('/account/mfa/recovery-codes', {}).set('Accept', 'application/json')).status).toBe(400);
    expect(await auditOf(u.id, 'user.mfa.recovery.regenerate')).toHaveLength(0);

    await forgetStep(u.id);
    const code = await generate({ secret });
    const done = await s.postForm('/account/mfa/recovery-codes', { code });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/account/mfa');
    const page = await s.get('/account/mfa').expect(200);
    expect(page.headers['cache-control']).toContain('no-store');
    const fresh = [...page.text.matchAll(CODE)].map((m) => m[1]);
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    expect(page.text).toContain('之前的恢复码已失效');
    expect(await auditOf(u.id, 'user.mfa.recovery.regenerate')).toHaveLength(1);
    // the same TOTP code cannot regenerate twice
    expect((await refuse(code)).status).toBe(400);

    expect((await signIn(u.username, old[2])).res.status).toBe(401);
    expect((await signIn(u.username, fresh[0])).res.status).toBe(200);
    expect(await unusedCodes(u.id)).toBe(9);
  });

  it('an admin resets a lost second factor: reason required, audited, sessions end, enrol again at sign-in; never one\'s own', async () => {
    const admin = await t.createUser('admin');
    const a = await t.login(admin.username);
    await enrol(a);
    const f = await t.createUser('finance');
    const fs1 = await t.login(f.username);
    expect((await fs1.get('/settlement')).headers.location).toBe('/account/mfa'); // required role, not enrolled yet
    const { codes } = await enrol(fs1);
    const fs2 = (await signIn(f.username, codes[0])).session!;
    expect((await fs2.getJson('/api/auth/me')).status).toBe(200);

    // the users page offers the reset for others who have a second factor, not for oneself
    const users = (await a.get('/admin/users').expect(200)).text;
    expect(users).toContain(`action="/admin/users/${f.id}/mfa/reset"`);
    expect(users).not.toContain(`action="/admin/users/${admin.id}/mfa/reset"`);
    expect(users).toContain('重置两步验证');

    const reset = (s: Session, id: number, body: object) => s.post(`/admin/users/${id}/mfa/reset`, body).set('Accept', 'application/json');
    // not an admin: 403, whoever it is
    const manager = await t.loginAs('channel_manager');
    expect((await reset(manager, f.id, { reason: '手机丢失' })).status).toBe(403);
    expect((await reset(fs1, f.id, { reason: '手机丢失' })).status).toBe(403);
    // no reason: refused
    expect((await reset(a, f.id, {})).status).toBe(400);
    expect((await reset(a, f.id, { reason: '   ' })).status).toBe(400);
    // oneself: refused (one's own factor goes with a code of it)
    const self = await reset(a, admin.id, { reason: '手机丢失' });
    expect(self.status).toBe(403);
    expect(self.body.message).toContain('不能用这种方式重置自己的两步验证');
    const [still] = await t.db.query(`SELECT totp_enabled_at IS NOT NULL AS on FROM user_account WHERE id = $1`, [f.id]);
    expect(still.on).toBe(true);
    expect(await auditOf(f.id, 'user.mfa.reset')).toHaveLength(0);

    const done = await a.postForm(`/admin/users/${f.id}/mfa/reset`, { reason: '手机丢失，本人电话确认' });
    expect(done.status).toBe(303);
    const [row] = await t.db.query(`SELECT totp_secret, totp_enabled_at, totp_last_step FROM user_account WHERE id = $1`, [f.id]);
    expect(row).toEqual({ totp_secret: null, totp_enabled_at: null, totp_last_step: null });
    expect(await unusedCodes(f.id)).toBe(0);
    const [entry] = await auditOf(f.id, 'user.mfa.reset');
    expect(entry.actor_user_id).toBe(admin.id);
    expect(entry.reason).toBe('手机丢失，本人电话确认');
    expect(entry.after).toEqual({ mfa: false, sessionsEnded: 2 });
    // both sessions of the user are gone; the admin's own is not
    expect((await t.db.query(`SELECT count(*)::int AS n FROM http_session WHERE (sess::jsonb -> 'passport' ->> 'user') = $1`, [String(f.id)]))[0].n).toBe(0);
    expect((await fs1.getJson('/api/auth/me')).status).toBe(401);
    expect((await fs2.getJson('/api/auth/me')).status).toBe(401);
    expect((await a.getJson('/api/auth/me')).status).toBe(200);
    expect((await a.get('/admin/users')).text).toContain('已重置');
    // a recovery code of the removed factor is nothing now; the password alone signs in, and the required role enrols first
    const back = await signIn(f.username, codes[1]);
    expect(back.res.status).toBe(200);
    const next = await back.session!.get('/settlement');
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe('/account/mfa');
    // nothing left to reset
    expect((await reset(a, f.id, { reason: '再次' })).status).toBe(400);
  });

  it('a partner user still has no second factor', async () => {
    const partner = await t.createPartner();
    const u = await t.createUser('partner', { partnerId: partner.id });
    const p = await t.login(u.username);
    expect((await p.get('/account/mfa')).status).toBe(403);
    expect((await p.post('/account/mfa/confirm', { code: '123456' }).set('Accept', 'application/json')).status).toBe(403);
    expect((await p.post('/account/mfa/recovery-codes', { code: '123456' }).set('Accept', 'application/json')).status).toBe(403);
    expect((await p.get('/account').expect(200)).text).not.toContain('/account/mfa');
    expect((await signIn(u.username, 'ABCDE-FGHJK')).res.status).toBe(200);
    expect(await unusedCodes(u.id)).toBe(0);
  });

  it('the sign-in page says recovery codes go in the code field', async () => {
    const page = await t.anonymous().get('/login').expect(200);
    expect(page.text).toContain('或一个恢复码');
    expect(page.text).toMatch(/id="login-code"[^>]*maxlength="12"/);
  });
});

describe('second factor: the TOTP secret encrypted at rest (TOTP_SECRET_KEY)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REQUIRE_MFA_FOR: '', SMTP_URL: '', TOTP_SECRET_KEY: randomBytes(32).toString('hex') });
    t.lang = 'zh-CN';
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.TOTP_SECRET_KEY;
  });

  const storedSecret = async (id: number) => String((await t.db.query(`SELECT totp_secret FROM user_account WHERE id = $1`, [id]))[0].totp_secret);
  const signIn = async (username: string, code: string) => (await t.anonymousWithCsrf()).post('/api/auth/login', { username, password: TEST_PASSWORD, code });

  it('an enrolled secret is stored encrypted, and its codes still sign in', async () => {
    const u = await t.createUser('finance');
    const s = await t.login(u.username);
    const secret = /<code>([A-Z2-7]{16,})<\/code>/.exec((await s.get('/account/mfa').expect(200)).text)![1];
    const confirming = await generate({ secret });
    await s.postForm('/account/mfa/confirm', { code: confirming }).expect(303);
    const stored = await storedSecret(u.id);
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain(secret);
    // the confirming code was spent: it does not sign in, the app's next one does
    expect((await signIn(u.username, confirming)).status).toBe(401);
    expect((await signIn(u.username, await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }))).status).toBe(200);
    expect((await signIn(u.username, '000000')).status).toBe(401);
  });

  it('a secret stored plain before the key was set still works, and is encrypted on its first use', async () => {
    const u = await t.createUser('channel_manager');
    const secret = generateSecret();
    await t.db.query(`UPDATE user_account SET totp_secret = $2, totp_enabled_at = now() WHERE id = $1`, [u.id, secret]);
    expect((await signIn(u.username, await generate({ secret }))).status).toBe(200);
    const stored = await storedSecret(u.id);
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain(secret);
  });
});
