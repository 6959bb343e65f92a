import { generate } from 'otplib';
import { hashAccountToken } from '../../src/core/auth/account-token.util';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/test-app';
import { SmtpSink } from './smtp-sink';

const GOOD = 'river-lantern-Quartz-81';

/**
 * Accounts people manage themselves (#14): invitations instead of passwords chosen by a creator, reset by a one-time
 * link, change with the current password, sessions listed and ended, the password rule, and a second factor.
 */
describe('accounts: invitations, reset, change, sessions, second factor', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ SMTP_URL: sink.url, JOBS_ENABLED: 'true', PUBLIC_URL: 'https://portal.example.cn', REQUIRE_MFA_FOR: '' });
    t.lang = 'zh-CN';
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  /** the newest mail to an address, and the portal path of its link */
  async function mailTo(address: string, count = 1) {
    for (let i = 0; i < 200 && sink.mails.filter((m) => m.to.includes(address)).length < count; i++) await new Promise((r) => setTimeout(r, 100));
    const mails = sink.mails.filter((m) => m.to.includes(address));
    expect(mails).toHaveLength(count);
    const mail = mails[count - 1];
    const link = /https:\/\/portal\.example\.cn(\/\S+)/.exec(mail.text)![1];
    return { mail, path: link, token: link.split('/').pop()! };
  }

  it('an admin invites staff: no password field, the person sets it through the mailed link once; until then no sign-in', async () => {
    const admin = await t.loginAs('admin');
    const res = await admin.postForm('/admin/users', { username: 'wang.fang', displayName: '王芳', email: 'Wang.Fang@example.cn', role: 'finance' });
    expect(res.status).toBe(303);
    expect((await admin.get('/admin/users')).text).toContain('已邀请，未设置密码');
    const { mail, path, token } = await mailTo('wang.fang@example.cn');
    expect(mail.subject).toBe('您在合作伙伴管理平台的账号：请设置密码');
    expect(mail.text).toContain('王芳，您好');
    expect(path).toMatch(/^\/invitation\/[A-Za-z0-9_-]{43}$/);
    // only the hash is stored
    const tokens = await t.db.query(`SELECT token_hash FROM account_token`);
    expect(JSON.stringify(tokens)).not.toContain(token);
    expect(tokens.map((r: { token_hash: string }) => r.token_hash)).toContain(hashAccountToken(token));

    const anon = await t.anonymousWithCsrf();
    expect((await anon.post('/api/auth/login', { username: 'wang.fang', password: 'anything-at-all-1' })).status).toBe(401);

    const page = await anon.get(path).expect(200);
    expect(page.text).toContain('设置您的密码');
    // the link's secret goes to this portal only, and the browser still sends the Origin the visitors' check needs
    expect(page.headers['referrer-policy']).toBe('same-origin');
    // the rule, with a reason in Chinese
    for (const [pw, why] of [['aaaaaaaaaa', '重复的字符'], ['1234567890', '常用密码'], ['          ', '全是空格'], ['wang.fang-Lantern-9', '用户名'], ['short', '至少 10 个字符']]) {
      const refused = await anon.post(path, { password: pw, passwordConfirm: pw }).set('Accept', 'application/json');
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(why);
    }
    expect((await anon.post(path, { password: GOOD, passwordConfirm: 'different-Lantern-9' }).set('Accept', 'application/json')).status).toBe(400);
    const done = await anon.postForm(path, { password: GOOD, passwordConfirm: GOOD });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/login');
    await t.login('wang.fang', GOOD);
    // used once: the same link is dead
    expect((await anon.get(path)).status).toBe(404);
    expect((await anon.post(path, { password: 'another-Lantern-77', passwordConfirm: 'another-Lantern-77' }).set('Accept', 'application/json')).status).toBe(404);
  });

  it('a channel manager invites a partner login without ever knowing its password; a resent invitation kills the first link', async () => {
    const partner = await t.createPartner({ name: '遵义云帆通信有限公司' });
    const manager = await t.loginAs('channel_manager');
    const old = await manager.post(`/api/partners/${partner.id}/users`, { username: 'yunfan1', displayName: '刘洋', email: 'liu.yang@example.cn', password: 'managers-choice-1' });
    expect(old.status).toBe(400); // a password is not something a creator may give
    const created = await manager.post(`/api/partners/${partner.id}/users`, { username: 'yunfan1', displayName: '刘洋', email: 'liu.yang@example.cn' });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toMatch(/invitation\/|token/);
    const first = await mailTo('liu.yang@example.cn');
    const [{ password_hash }] = await t.db.query(`SELECT password_hash FROM user_account WHERE username = 'yunfan1'`);
    expect(password_hash).toBeNull();

    await manager.postForm(`/partners/${partner.id}/users/${created.body.id}/resend-invitation`, {}).expect(303);
    const second = await mailTo('liu.yang@example.cn', 2);
    expect(second.token).not.toBe(first.token);
    const anon = await t.anonymousWithCsrf();
    expect((await anon.get(first.path)).status).toBe(404);
    // the partner's own name is refused as a password
    const named = await anon.post(second.path, { password: '遵义云帆通信有限公司', passwordConfirm: '遵义云帆通信有限公司' }).set('Accept', 'application/json');
    expect(named.status).toBe(400);
    expect(JSON.stringify(named.body)).toContain('合作伙伴名称');
    await anon.postForm(second.path, { password: GOOD, passwordConfirm: GOOD }).expect(303);
    await t.login('yunfan1', GOOD);
    // another partner's login cannot be re-invited through this partner
    const other = await t.createPartner();
    expect((await manager.post(`/partners/${other.id}/users/${created.body.id}/resend-invitation`, {}).set('Accept', 'application/json')).status).toBe(404);
    expect((await manager.post(`/partners/${partner.id}/users/${created.body.id}/resend-invitation`, {}).set('Accept', 'application/json')).status).toBe(400);
  });

  it('forgotten password: the same answer for anyone; a one-hour, one-time link; the other sessions end', async () => {
    const u = await t.createUser('channel_manager', { username: 'zhao.lei' });
    await t.db.query(`UPDATE user_account SET email = 'zhao.lei@example.cn' WHERE id = $1`, [u.id]);
    const elsewhere = await t.login(u.username);
    const anon = t.anonymous();
    const known = await anon.agent.post('/password/forgot').type('form').set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1').send({ login: 'ZHAO.LEI@example.cn' });
    const unknown = await anon.agent.post('/password/forgot').type('form').set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1').send({ login: 'nobody-here' });
    expect(known.status).toBe(200);
    expect(unknown.text).toBe(known.text);
    expect(known.text).toContain('如果该用户名或邮箱对应一个有效账号');
    const { mail, path } = await mailTo('zhao.lei@example.cn');
    expect(mail.subject).toBe('重置您的密码');
    expect(path).toMatch(/^\/password\/reset\//);

    const s = await t.anonymousWithCsrf();
    await s.postForm(path, { password: GOOD, passwordConfirm: GOOD }).expect(303);
    expect((await elsewhere.getJson('/api/auth/me')).status).toBe(401); // ended
    await t.login(u.username, GOOD);
    expect((await s.get(path)).status).toBe(404); // once

    // an expired link is dead
    await anon.agent.post('/password/forgot').type('form').set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1').send({ login: 'zhao.lei' }).expect(200);
    const again = await mailTo('zhao.lei@example.cn', 2);
    await t.db.query(`UPDATE account_token SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashAccountToken(again.token)]);
    expect((await s.get(again.path)).status).toBe(404);
  });

  it('change my password: needs the current one; other sessions end, this one stays; sessions listed and ended', async () => {
    const u = await t.createUser('finance');
    const phone = await t.login(u.username);
    const laptop = await t.login(u.username);
    const page = await laptop.get('/account').set('User-Agent', 'LaptopBrowser/1.0').expect(200);
    expect(page.text).toContain('登录会话');
    expect(page.text).toContain('当前会话');
    expect((page.text.match(/\/account\/sessions\/[0-9a-f]{16}\/end/g) ?? []).length).toBe(1);
    // started and last active: both now, in business time (the two columns agree to the minute)
    const times = [...page.text.matchAll(/<td data-label="(?:登录时间|最近活动)">(\d{4}-\d\d-\d\d \d\d:\d\d)<\/td>/g)].map((m) => m[1]);
    expect(times.length).toBeGreaterThanOrEqual(2);
    const shanghaiNow = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date());
    for (const time of times) expect(Math.abs(new Date(time.replace(' ', 'T')).getTime() - new Date(shanghaiNow.replace(' ', 'T')).getTime())).toBeLessThanOrEqual(120_000);

    const wrong = await laptop.post('/account/password', { currentPassword: 'not-it-at-all', password: GOOD, passwordConfirm: GOOD }).set('Accept', 'application/json');
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('当前密码不正确');
    await laptop.postForm('/account/password', { currentPassword: TEST_PASSWORD, password: GOOD, passwordConfirm: GOOD }).expect(303);
    expect((await phone.getJson('/api/auth/me')).status).toBe(401);
    expect((await laptop.getJson('/api/auth/me')).status).toBe(200);
    const [audit] = await t.db.query(`SELECT action FROM audit_log WHERE action = 'user.password.change' AND entity_id = $1`, [String(u.id)]);
    expect(audit).toBeDefined();

    // end one other session by its id (never shown as the secret sid)
    const tablet = await t.login(u.username, GOOD);
    const list = await laptop.get('/account').expect(200);
    const id = /\/account\/sessions\/([0-9a-f]{16})\/end/.exec(list.text)![1];
    const sids = await t.db.query(`SELECT sid FROM http_session`);
    expect(list.text).not.toContain(sids[0].sid);
    await laptop.postForm(`/account/sessions/${id}/end`, {}).expect(303);
    expect((await tablet.getJson('/api/auth/me')).status).toBe(401);
    // someone else's session cannot be ended from here
    const other = await t.loginAs('finance');
    const otherId = /\/account\/sessions\/([0-9a-f]{16})\/end/.exec((await laptop.get('/account')).text);
    expect(otherId).toBeNull();
    const theirs = (await other.get('/account')).text;
    expect(theirs).not.toContain('/end"');
    await laptop.postForm('/account/sessions/end-others', {}).expect(303);
    expect((await other.getJson('/api/auth/me')).status).toBe(200);
  });

  it('a session ends 12 hours after sign-in however active (absolute lifetime)', async () => {
    const s = await t.loginAs('channel_manager');
    await s.getJson('/api/auth/me').expect(200);
    await t.db.query(`UPDATE http_session SET sess = jsonb_set(sess::jsonb, '{meta,createdAt}', to_jsonb((extract(epoch FROM now() - interval '13 hours') * 1000)::bigint))::json
                       WHERE sess::jsonb -> 'passport' ->> 'user' = $1`, [String(s.user!.id)]);
    expect((await s.getJson('/api/auth/me')).status).toBe(401);
    expect((await s.getJson('/api/auth/csrf')).status).toBe(200); // the visitor goes on with a fresh session
  });

  it('visitors who are not signed in get no session row and no cookie', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM http_session`))[0].n;
    for (const url of ['/login', '/apply', '/password/forgot', '/', '/health']) {
      const res = await t.anonymous().get(url);
      expect(res.headers['set-cookie'] ?? []).toEqual([]);
    }
    // the sign-in form works without a session: the browser's Origin says it is ours
    const u = await t.createUser('finance');
    const login = await t.anonymous().agent.post('/login').type('form').set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1')
      .send({ username: u.username, password: TEST_PASSWORD, next: '/' });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    // from another site: refused
    const forged = await t.anonymous().agent.post('/login').type('form').set('Origin', 'https://evil.example').send({ username: u.username, password: TEST_PASSWORD });
    expect(forged.status).toBe(403);
    const after = (await t.db.query(`SELECT count(*)::int AS n FROM http_session`))[0].n;
    expect(after).toBe(before + 1); // only the signed-in one
  });

  it('second factor: enrol with a code from the QR secret; then sign-in needs the code', async () => {
    const u = await t.createUser('admin');
    const s = await t.login(u.username);
    const page = await s.get('/account/mfa').expect(200);
    expect(page.text).toContain('src="data:image/png;base64,');
    const secret = /<code>([A-Z2-7]{16,})<\/code>/.exec(page.text)![1];
    expect((await s.post('/account/mfa/confirm', { code: '000000' }).set('Accept', 'application/json')).status).toBe(400);
    await s.postForm('/account/mfa/confirm', { code: await generate({ secret }) }).expect(303);
    const anon = await t.anonymousWithCsrf();
    const without = await anon.post('/api/auth/login', { username: u.username, password: TEST_PASSWORD });
    expect(without.status).toBe(401);
    expect(without.body.message).toContain('动态验证码');
    expect((await anon.post('/api/auth/login', { username: u.username, password: TEST_PASSWORD, code: '123456' })).status).toBe(401);
    // the code that confirmed the enrolment is spent: the app's next one signs in
    const ok = await anon.post('/api/auth/login', { username: u.username, password: TEST_PASSWORD, code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }) });
    expect(ok.status).toBe(200);
  });
});

describe('REQUIRE_MFA_FOR and the public application limit', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ REQUIRE_MFA_FOR: 'admin,finance', APPLY_MAX_PER_HOUR: '2', SMTP_URL: '' }); });
  afterAll(() => t?.close());

  it('a finance user without a second factor is sent to enrol before anything else; a channel manager is not', async () => {
    const finance = await t.loginAs('finance');
    const page = await finance.get('/settlement');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/account/mfa');
    expect((await finance.getJson('/api/partners')).status).toBe(403);
    expect((await finance.get('/account/mfa')).status).toBe(200);
    const manager = await t.loginAs('channel_manager');
    expect((await manager.get('/partners')).status).toBe(200);
  });

  it('the public application form is limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await t.anonymousWithCsrf();
      statuses.push((await s.post('/api/onboarding/apply', {})).status);
    }
    expect(statuses.slice(0, 2).every((c) => c !== 429)).toBe(true);
    expect(statuses[2]).toBe(429);
  });
});
