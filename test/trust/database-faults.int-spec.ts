import request from 'supertest';
import { createTestApp, TestApp, testDatabaseUrl } from '../support/test-app';
import { TcpProxy } from '../support/tcp-proxy';

/** The app reaches the database through a proxy the test can cut: connection lost, then back. */
describe('database connection lost and restored', () => {
  let t: TestApp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = TcpProxy.forUrl(testDatabaseUrl());
    await proxy.start();
    t = await createTestApp({ DATABASE_URL: proxy.rewrite(testDatabaseUrl()) });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await t?.close();
    await proxy.cut();
  });

  it('health goes red while the database is away and green again without a restart', async () => {
    await request(t.http).get('/health').expect(200);
    await proxy.cut();
    const down = await request(t.http).get('/health');
    expect(down.status).toBe(503);
    expect(down.body.error?.database?.status ?? down.body.details?.database?.status).toBe('down');
    await proxy.restore();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await request(t.http).get('/health')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });

  it('a request that loses the database mid-way answers 503 with a clear message and writes nothing', async () => {
    const admin = await t.loginAs('admin');
    const before = Number((await t.db.query('SELECT count(*) AS n FROM user_account'))[0].n);
    await proxy.cut();
    const res = await admin.post('/api/users', { username: 'while.down', email: 'while.down@example.cn', role: 'finance' });
    // the session lookup itself needs the database: either way the answer is a clear 5xx/401, never data
    expect([401, 503]).toContain(res.status);
    if (res.status === 503) expect(res.body.message).toMatch(/database is not reachable/);
    await proxy.restore();
    let n = -1;
    for (let i = 0; i < 20 && n < 0; i++) {
      try {
        n = Number((await t.db.query('SELECT count(*) AS n FROM user_account'))[0].n);
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(n).toBe(before);
    const again = await t.loginAs('admin');
    expect((await again.post('/api/users', { username: 'after.back', email: 'after.back@example.cn', role: 'finance' })).status).toBe(201);
  });
});
