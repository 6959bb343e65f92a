import * as argon2 from 'argon2';
import { UsersService } from '../../src/core/auth/users.service';
import { createTestApp, TestApp, TEST_PASSWORD } from '../support/test-app';

/** Findings of the outside review fixed so far (issue #14): each test failed before its fix. */
describe('hardening', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ API_DOCS: 'false' }); });
  afterAll(() => t?.close());

  it('hashes with OWASP argon2id parameters and replaces an older hash at the next sign-in', async () => {
    const u = await t.createUser('finance');
    const [fresh] = await t.db.query(`SELECT password_hash AS h FROM user_account WHERE id = $1`, [u.id]);
    expect(fresh.h).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    // a hash made with the library's old defaults (64 MiB, t=3)
    await t.db.query(`UPDATE user_account SET password_hash = $2 WHERE id = $1`, [u.id, await argon2.hash(TEST_PASSWORD, { type: argon2.argon2id })]);
    await t.login(u.username);
    const [after] = await t.db.query(`SELECT password_hash AS h FROM user_account WHERE id = $1`, [u.id]);
    expect(after.h).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await argon2.verify(after.h, TEST_PASSWORD)).toBe(true);
  });

  it('checks a password even for a username that does not exist (no timing difference to tell who exists)', async () => {
    const users = t.get(UsersService);
    const spy = jest.spyOn(users, 'checkPassword');
    const s = await t.anonymousWithCsrf();
    const res = await s.post('/api/auth/login', { username: 'nobody-here', password: 'whatever-password-1' });
    expect(res.status).toBe(401);
    expect(spy).toHaveBeenCalledWith(null, 'whatever-password-1');
    spy.mockRestore();
    // and the check of a missing user is a real argon2 verification that fails, not a shortcut
    expect(await users.checkPassword(null, 'whatever-password-1')).toBe(false);
    expect(await users.checkPassword(await argon2.hash('right-password-1'), 'right-password-1')).toBe(true);
  });

  it('signed-in answers are not cached; the API docs are off when API_DOCS=false', async () => {
    const admin = await t.loginAs('admin');
    expect((await admin.get('/')).headers['cache-control']).toBe('no-store');
    expect((await admin.getJson('/api/auth/me')).headers['cache-control']).toBe('no-store');
    expect((await t.anonymous().get('/api/docs')).status).toBe(404);
  });
});
