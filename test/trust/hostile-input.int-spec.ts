import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { insertCustomer } from '../customers/fixtures';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { ROUTE_ACCESS } from './route-access';
import { concretePath, listRoutes, RouteInfo } from './route-inventory';

/** every form field name used by a view (the names a browser can send) */
function formFieldNames(dir = join(__dirname, '../../views')): string[] {
  const names = new Set<string>();
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) { for (const n of formFieldNames(p)) names.add(n); continue; }
    if (!f.endsWith('.hbs')) continue;
    for (const m of readFileSync(p, 'utf8').matchAll(/name="([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  }
  names.delete('_csrf');
  return [...names].sort();
}

/**
 * Issue #14: hostile input never gets a 500 — unknown sort keys, JSON nested 10,000 levels (even before sign-in),
 * arrays and objects where a page form expects text, on every state-changing route.
 */
describe('hostile input', () => {
  let t: TestApp;
  let sessions: Record<string, Session>;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await createTestApp();
    routes = listRoutes(t.app);
    const P = await t.createPartner();
    await insertCustomer(t, { partnerId: P.id, code: 'HOSTILE-CUST-1' });
    sessions = {
      admin: await t.loginAs('admin'), channel_manager: await t.loginAs('channel_manager'),
      finance: await t.loginAs('finance'), partner: await t.loginAs('partner', { partnerId: P.id }),
    };
  }, 120_000);
  afterAll(() => t?.close());

  const sessionFor = (key: string): Session | null => {
    const access = ROUTE_ACCESS[key];
    if (!access || access.sessionEnding) return null;
    if (access.roles === 'public') return sessions.admin;
    return sessions[access.roles[0]] ?? null;
  };

  it('sort and dir keys that name object properties are ignored on every list', async () => {
    const problems: string[] = [];
    for (const r of routes.filter((x) => x.method === 'GET' && !x.path.includes(':') && !x.path.startsWith('/api/docs'))) {
      const s = sessionFor(r.key);
      if (!s) continue;
      for (const q of ['sort=constructor', 'sort=__proto__', 'sort=toString&dir=constructor', 'sort[]=a&dir[x]=1', 'page=constructor&size=__proto__']) {
        const res = await s.get(`${r.path}?${q}`);
        if (res.status >= 500) problems.push(`GET ${r.path}?${q}: ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('JSON nested 10,000 levels is refused with 400 (signed in or not), never a 500 or a crash', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const anon = await t.anonymousWithCsrf();
    for (const body of [deep, deepObject, `{"username":${deep},"password":"x"}`]) {
      const res = await anon.agent.post('/api/auth/login').set('x-csrf-token', anon.csrf).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toBeTruthy();
    }
    const res = await sessions.finance.agent.post('/api/settlement/adjustments').set('x-csrf-token', sessions.finance.csrf).set('Content-Type', 'application/json').send(deepObject);
    expect(res.status).toBe(400);
    // still serving
    expect((await sessions.admin.get('/api/auth/me')).status).toBe(200);
  });

  it('arrays and objects in every form field of every state-changing route get a 4xx or a refused form, never a 500', async () => {
    const fields = formFieldNames();
    expect(fields.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const r of routes.filter((x) => x.method !== 'GET' && x.path !== '/api/auth/login')) {
      const s = sessionFor(r.key);
      if (!s) continue;
      const url = concretePath(r.path);
      for (const shape of ['array', 'object'] as const) {
        const form = fields.map((f) => shape === 'array' ? `${f}[]=1&${f}[]=2` : `${f}[a]=1&${f}[b][c]=2`).join('&');
        const res = await s.agent.post(url).type('form').set('x-csrf-token', s.csrf).send(`${form}&_csrf=${encodeURIComponent(s.csrf)}`);
        if (res.status >= 500) problems.push(`${r.key} with ${shape}s: ${res.status} ${String(res.text).slice(0, 120)}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
