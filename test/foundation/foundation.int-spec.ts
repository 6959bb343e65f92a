import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { validateEnvironment } from '../../src/core/config/env.validation';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/test-app';

describe('foundation: accounts, roles, sessions, CSRF, health', () => {
  let t: TestApp;
  let partnerId: number;

  beforeAll(async () => {
    t = await createTestApp();
    partnerId = (await t.createPartner()).id;
  });
  afterAll(() => t?.close());

  it('runs every migration from zero and records it', async () => {
    const files = readdirSync(join(__dirname, '..', '..', 'migrations')).filter((f) => /\.ts$/.test(f));
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM schema_migrations');
    expect(n).toBe(files.length);
    const tables = (await t.db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).map((r: { table_name: string }) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(['partner', 'user_account', 'http_session', 'audit_log', 'login_attempt']));
  });

  it('answers /health with the database status', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body.info.database.status).toBe('up');
  });

  it('refuses a wrong password and says so', async () => {
    const u = await t.createUser('finance');
    const s = await t.anonymousWithCsrf();
    const res = await s.post('/api/auth/login', { username: u.username, password: 'not-the-password' });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Wrong username or password.');
    const page = await s.postForm('/login', { username: u.username, password: 'nope-nope-nope' }).set('Referer', 'http://x/login');
    expect(page.status).toBe(303);
    const follow = await s.get('/login');
    expect(follow.text).toContain('Wrong username or password.');
  });

  it('signs in through the form and shows a role-aware home page', async () => {
    const u = await t.createUser('channel_manager');
    const s = await t.anonymousWithCsrf();
    const res = await s.postForm('/login', { username: u.username, password: TEST_PASSWORD, next: '/' });
    expect(res.status).toBe(303);
    const home = await s.get('/').expect(200);
    expect(home.text).toContain('href="/partners"');
    expect(home.text).not.toContain('href="/settlement"');
    expect(home.text).not.toContain('href="/admin/users"');
  });

  it('gives a partner user 403 (not 500) on admin and finance routes', async () => {
    const s = await t.loginAs('partner', { partnerId });
    expect((await s.getJson('/api/users')).status).toBe(403);
    const page = await s.get('/admin/users');
    expect(page.status).toBe(403);
    expect(page.text).toContain('This page is for administrator users');
    expect((await s.post('/api/users', { username: 'evil', password: 'x'.repeat(12), role: 'admin' })).status).toBe(403);
  });

  it('refuses a POST without or with a forged CSRF token', async () => {
    const s = await t.loginAs('admin');
    const body = { username: 'newuser1', email: 'newuser1@example.cn', role: 'finance' };
    const missing = await s.agent.post('/api/users').send(body);
    expect(missing.status).toBe(403);
    expect(missing.body.message).toMatch(/CSRF token/);
    const forged = await s.agent.post('/api/users').set('x-csrf-token', 'forged').send(body);
    expect(forged.status).toBe(403);
    const ok = await s.post('/api/users', body);
    expect(ok.status).toBe(201);
    expect(JSON.stringify(ok.body)).not.toMatch(/hash|password/i);
  });

  it('creates a user through the HTML form (the CSRF field is not mistaken for data)', async () => {
    const s = await t.loginAs('admin');
    const res = await s.postForm('/admin/users', { username: 'form.user', email: 'form.user@example.cn', role: 'finance', displayName: 'Form User' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users');
    const [row] = await t.db.query(`SELECT role FROM user_account WHERE username = 'form.user'`);
    expect(row.role).toBe('finance');
  });

  it('names the field in validation errors and refuses unknown fields', async () => {
    const s = await t.loginAs('admin');
    // a new login is an invitation: a password chosen by its creator is an unknown field now
    const res = await s.post('/api/users', { username: 'ok.name', email: 'not-an-address', password: 'long-enough-1', role: 'finance', isAdmin: true });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'isAdmin']));
  });

  it('never returns password hashes from the API', async () => {
    const s = await t.loginAs('admin');
    const res = await s.getJson('/api/users').expect(200);
    expect(res.body.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
  });

  it('issues a new session id at sign-in (no fixation) with HttpOnly and SameSite cookies', async () => {
    const u = await t.createUser('finance');
    const agent = request.agent(t.http);
    const first = await agent.get('/api/auth/csrf');
    const before = /portal\.sid=([^;]+)/.exec(first.headers['set-cookie']?.[0] ?? '')?.[1];
    const login = await agent.post('/api/auth/login').set('x-csrf-token', first.body.token).send({ username: u.username, password: TEST_PASSWORD }).expect(200);
    const cookie = login.headers['set-cookie']?.[0] ?? '';
    const after = /portal\.sid=([^;]+)/.exec(cookie)?.[1];
    expect(before).toBeTruthy();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('ends the session on the server at logout', async () => {
    const s = await t.loginAs('finance');
    const cookie = (await s.getJson('/api/auth/me').expect(200)).request.cookies;
    await s.post('/api/auth/logout').expect(200);
    expect((await s.getJson('/api/auth/me')).status).toBe(401);
    // replaying the old cookie does not bring the session back
    const replay = await request(t.http).get('/api/auth/me').set('Cookie', cookie);
    expect(replay.status).toBe(401);
  });

  it('locks an account after repeated failures with a clear message', async () => {
    const u = await t.createUser('finance');
    const s = await t.anonymousWithCsrf();
    for (let i = 0; i < 10; i++) expect((await s.post('/api/auth/login', { username: u.username, password: 'wrong-wrong' })).status).toBe(401);
    const locked = await s.post('/api/auth/login', { username: u.username, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/Too many failed sign-in attempts.*Try again in \d+ minute/);
  });

  it('refuses a deactivated user and ends their open sessions at once', async () => {
    const u = await t.createUser('channel_manager');
    const s = await t.login(u.username);
    await s.getJson('/api/auth/me').expect(200);
    const admin = await t.loginAs('admin');
    await admin.postForm(`/admin/users/${u.id}/deactivate`, { reason: 'left the company' }).expect(303);
    expect((await s.getJson('/api/auth/me')).status).toBe(401);
    const again = await (await t.anonymousWithCsrf()).post('/api/auth/login', { username: u.username, password: TEST_PASSWORD });
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/deactivated: left the company/);
    const [audit] = await t.db.query(`SELECT action, reason FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 AND action = 'user.deactivate'`, [String(u.id)]);
    expect(audit.reason).toBe('left the company');
  });

  it('reads the signed-in user with the session on every request: a change shows on the next request', async () => {
    const u = await t.createUser('channel_manager');
    const s = await t.login(u.username);
    expect((await s.getJson('/api/auth/me').expect(200)).body).toMatchObject({ id: u.id, role: 'channel_manager' });
    await t.db.query(`UPDATE user_account SET role = 'finance' WHERE id = $1`, [u.id]);
    expect((await s.getJson('/api/auth/me').expect(200)).body).toMatchObject({ id: u.id, role: 'finance' });
    await t.db.query(`UPDATE user_account SET active = false WHERE id = $1`, [u.id]);
    expect((await s.getJson('/api/auth/me')).status).toBe(401);
    await t.db.query(`UPDATE user_account SET active = true WHERE id = $1`, [u.id]);
    expect((await s.getJson('/api/auth/me')).status).toBe(401); // signed out, not merely hidden for one request
  });

  it('joins no user for a session whose user entry is not a plain id', async () => {
    const u = await t.createUser('admin');
    const s = await t.login(u.username);
    await s.getJson('/api/auth/me').expect(200);
    const changed = await t.db.query(
      `UPDATE http_session SET sess = jsonb_set(sess::jsonb, '{passport,user}', to_jsonb($1::text))::json
        WHERE sess::jsonb -> 'passport' ->> 'user' = $2 RETURNING sid`, [`${u.id} OR true`, String(u.id)]);
    expect(changed.length).toBeGreaterThan(0);
    expect((await s.getJson('/api/auth/me')).status).toBe(401);
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(t.http).get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/auth/login']));
  });
});

describe('configuration', () => {
  it('stops start-up on a malformed setting, naming it', () => {
    expect(() => validateEnvironment({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => validateEnvironment({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', DATABASE_URL: 'postgres://a@b/c' })).toThrow(/SESSION_SECRET: required/);
    expect(() => validateEnvironment({ TZ: 'Asia Shanghai;' })).toThrow(/TZ must be a time zone name/);
    expect(validateEnvironment({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('refuses to build the app with a bad value', async () => {
    try {
      await expect(createTestApp({ LOGIN_MAX_FAILURES: 'many' }).then(async (app) => { await app.close(); return app; })).rejects.toThrow(/LOGIN_MAX_FAILURES/);
    } finally {
      delete process.env.LOGIN_MAX_FAILURES;
    }
  });
});
