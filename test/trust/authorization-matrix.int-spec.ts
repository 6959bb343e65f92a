import { Role } from '../../src/core/auth/actor';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { ROUTE_ACCESS } from './route-access';
import { concretePath, listRoutes, RouteInfo } from './route-inventory';

type Caller = 'anonymous' | 'partnerA' | 'partnerB' | 'channel_manager' | 'finance' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'partnerA', 'partnerB', 'channel_manager', 'finance', 'admin'];
const roleOf = (c: Caller): Role | null => (c === 'anonymous' ? null : c.startsWith('partner') ? 'partner' : (c as Role));

describe('authorization matrix: every route × every role', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  const sessions = new Map<Caller, Session>();
  let partnerA: number;
  let partnerB: number;

  const freshSession = async (c: Caller): Promise<Session> => {
    if (c === 'anonymous') return t.anonymousWithCsrf();
    const role = roleOf(c)!;
    return t.loginAs(role, role === 'partner' ? { partnerId: c === 'partnerA' ? partnerA : partnerB } : {});
  };

  beforeAll(async () => {
    t = await createTestApp();
    partnerA = (await t.createPartner()).id;
    partnerB = (await t.createPartner()).id;
    for (const c of CALLERS) sessions.set(c, await freshSession(c));
    routes = listRoutes(t.app);
  });
  afterAll(() => t?.close());

  it('finds the routes of the app', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => r.key)).toContain('GET /admin/users');
  });

  it('lists every route in the declared table (a new route cannot be forgotten)', () => {
    const missing = routes.filter((r) => !ROUTE_ACCESS[r.key]).map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it('has no stale table entries', () => {
    const keys = new Set(routes.map((r) => r.key));
    expect(Object.keys(ROUTE_ACCESS).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('matches what the code declares', () => {
    const mismatches = routes.filter((r) => ROUTE_ACCESS[r.key]).flatMap((r) => {
      const want = ROUTE_ACCESS[r.key].roles;
      const wantText = want === 'public' || want === 'service' ? want : [...want].sort().join(',');
      const gotText = r.declared === 'public' || r.declared === 'none' || r.declared === 'service' ? r.declared : r.declared.join(',');
      return wantText === gotText ? [] : [`${r.key}: table says ${wantText}, code says ${gotText}`];
    });
    expect(mismatches).toEqual([]);
  });

  it('answers each caller as declared: 401 anonymous, 403 wrong role, never 5xx', async () => {
    const problems: string[] = [];
    for (const route of routes) {
      const access = ROUTE_ACCESS[route.key];
      if (!access) continue;
      for (const caller of CALLERS) {
        const role = roleOf(caller);
        // a bearer-token route: a session cookie alone (of any role) is never enough
        const allowed = access.roles === 'public' || (role !== null && access.roles !== 'service' && access.roles.includes(role));
        const session = access.sessionEnding ? await freshSession(caller) : sessions.get(caller)!;
        const url = concretePath(route.path);
        const m = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        let req = session.agent[m](url).set('Accept', 'application/json');
        if (m !== 'get') req = req.set('x-csrf-token', session.csrf).send({});
        const res = await req;
        const s = res.status;
        const expected = allowed ? 'allowed' : role === null || access.roles === 'service' ? '401' : '403';
        const ok = allowed ? (s < 500 && ![401, 403].includes(s)) || (access.ok ?? []).includes(s) : s === Number(expected);
        if (!ok) problems.push(`${route.key} as ${caller}: got ${s}, expected ${expected} ${s >= 500 ? JSON.stringify(res.body).slice(0, 200) : ''}`);
      }
    }
    expect(problems).toEqual([]);
  }, 600_000); // every route × every caller: a few thousand requests
});
