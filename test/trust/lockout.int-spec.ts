import { AccountsService } from '../../src/core/auth/accounts.service';
import { UsersService } from '../../src/core/auth/users.service';
import { createTestApp, Session, TestApp, TEST_PASSWORD } from '../support/test-app';

const LIMIT = 10;

/**
 * Review findings "lockout race" and "lockout as denial of service" (#14). Before: the failure count was read, the slow
 * password check ran, then the failure was written — 40 parallel wrong passwords were all checked against a limit of
 * 10, and a correct one among 30 parallel wrong ones signed in; and anyone could lock any account from anywhere.
 * Addresses are told apart through X-Forwarded-For (TRUST_PROXY), as behind the production proxy.
 */
describe('sign-in lockout: atomic, per (account, address), with backoff', () => {
  let t: TestApp;
  let checks = 0;

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', LOGIN_MAX_FAILURES: String(LIMIT), LOGIN_WINDOW_MINUTES: '15', LOGIN_MAX_PER_IP: '1000' });
    const users = t.get(UsersService);
    const real = users.checkPassword.bind(users);
    users.checkPassword = async (hash, pw) => { checks++; return real(hash, pw); };
  });
  afterAll(() => t?.close());

  const from = async (ip: string): Promise<Session> => {
    const s = await t.anonymousWithCsrf();
    s.agent.set('X-Forwarded-For', ip);
    return s;
  };
  const attempt = (s: Session, username: string, password: string) => s.post('/api/auth/login', { username, password });

  it('40 parallel wrong passwords: at most the limit are checked, the rest are refused before any check', async () => {
    const u = await t.createUser('admin');
    const s = await from('203.0.113.7');
    checks = 0;
    const res = await Promise.all(Array.from({ length: 40 }, () => attempt(s, u.username, 'wrong-password-x')));
    const codes = res.map((r) => r.status);
    expect(checks).toBeLessThanOrEqual(LIMIT);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(40 - LIMIT);
    expect(res.find((r) => r.status === 429)!.body.message).toMatch(/Try again in \d+ minute/);
  });

  it('a correct password sent while 30 wrong ones from the same address are being checked does not sign in', async () => {
    const u = await t.createUser('finance');
    const s = await from('198.51.100.9');
    const wrong = Promise.all(Array.from({ length: 30 }, () => attempt(s, u.username, 'wrong-password-y')));
    // wait until the wrong ones are counted (their slow checks are still running), then the right one
    for (let i = 0; i < 200; i++) {
      const [row] = await t.db.query(`SELECT attempts FROM login_throttle WHERE username = $1 AND scope = '198.51.100.9'`, [u.username]);
      if (row && row.attempts >= LIMIT) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const right = await attempt(s, u.username, TEST_PASSWORD);
    await wrong;
    expect(right.status).toBe(429);
    expect(right.body.user).toBeUndefined();
  });

  it("a locked-out attacker elsewhere does not lock the real user out of an address they signed in from before; reset lifts the lock", async () => {
    const u = await t.createUser('admin');
    await (await from('192.0.2.10')).post('/api/auth/login', { username: u.username, password: TEST_PASSWORD }).expect(200); // the office
    // a crowd of addresses guesses until the account is closed to unknown addresses
    for (let n = 0; n < 4; n++) {
      const s = await from(`203.0.113.${50 + n}`);
      await Promise.all(Array.from({ length: LIMIT + 2 }, () => attempt(s, u.username, 'guess-guess-guess')));
    }
    const stranger = await from('203.0.113.99');
    expect((await attempt(stranger, u.username, TEST_PASSWORD)).status).toBe(429); // new addresses wait
    const attacker = await from('203.0.113.50');
    expect((await attempt(attacker, u.username, TEST_PASSWORD)).status).toBe(429);
    const office = await from('192.0.2.10');
    expect((await attempt(office, u.username, TEST_PASSWORD)).status).toBe(200); // the owner is not locked out

    // a password reset by the mailed link lifts every lock of the account
    await t.db.query(`UPDATE user_account SET email = 'owner@example.cn' WHERE id = $1`, [u.id]);
    const accounts = t.get(AccountsService);
    await accounts.requestReset(u.username, '203.0.113.99');
    const [mail] = await t.db.query(`SELECT params FROM mail_outbox WHERE user_id = $1 AND template = 'password-reset'`, [u.id]);
    await accounts.usePasswordLink(String(mail.params.link).split('/').pop(), 'reset', 'river-lantern-Quartz-81', 'river-lantern-Quartz-81');
    expect((await attempt(await from('203.0.113.99'), u.username, 'river-lantern-Quartz-81')).status).toBe(200);
  });

  it('each further lock of the same (account, address) lasts twice as long', async () => {
    const u = await t.createUser('channel_manager');
    const s = await from('198.51.100.77');
    for (let i = 0; i <= LIMIT; i++) await attempt(s, u.username, 'wrong-wrong-wrong');
    const lock = async () => (await t.db.query(`SELECT extract(epoch FROM locked_until - now())::int AS secs, strikes FROM login_throttle WHERE username = $1 AND scope = '198.51.100.77'`, [u.username]))[0];
    const first = await lock();
    expect(first.strikes).toBe(1);
    expect(first.secs).toBeGreaterThan(14 * 60);
    expect(first.secs).toBeLessThanOrEqual(15 * 60);
    // the lock and its window pass
    await t.db.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second', window_start = now() - interval '16 minutes' WHERE username = $1`, [u.username]);
    for (let i = 0; i <= LIMIT; i++) await attempt(s, u.username, 'wrong-wrong-wrong');
    const second = await lock();
    expect(second.strikes).toBe(2);
    expect(second.secs).toBeGreaterThan(29 * 60);
  });

  it('a per-address limit across accounts holds in PostgreSQL', async () => {
    const app = t; // same database; the limit row is what every process reads
    const s = await from('198.51.100.200');
    await app.db.query(`INSERT INTO rate_limit (key, hits, window_start) VALUES ('login-ip:198.51.100.200', 1000, now())`);
    const res = await attempt(s, 'whoever', 'whatever-whatever');
    expect(res.status).toBe(429);
  });
});
