import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { SettlementService } from '../../src/modules/settlement/settlement.service';
import { insertCustomer } from '../customers/fixtures';
import { importCsv, checker } from '../settlement/helpers';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { OutputCapture } from './helpers-capture';
import { concretePath, listRoutes, RouteInfo } from './route-inventory';

/**
 * Attack tests: CSRF on every state-changing route, hostile input (size, types, extra fields, unicode, NUL),
 * SQL injection in every query parameter, CSV injection in the real exports, and password handling
 * (argon2id, minimum length, never in API output or logs).
 * The app runs at LOG_LEVEL=info so the log check sees real request logs; all output is captured, not printed.
 */
describe('attacks', () => {
  let t: TestApp;
  const out = new OutputCapture();
  let admin: Session, manager: Session, finance: Session, partner: Session;
  let P: { id: number; code: string; name: string };
  let customer: { id: number; code: string };
  let routes: RouteInfo[];

  beforeAll(async () => {
    out.start();
    t = await createTestApp({ LOG_LEVEL: 'info' });
    routes = listRoutes(t.app);
    P = await t.createPartner({ name: 'Sentinel Partner Alpha' });
    customer = await insertCustomer(t, { partnerId: P.id, code: 'SENTINEL-CUST-1' });
    admin = await t.loginAs('admin');
    manager = await t.loginAs('channel_manager');
    finance = await t.loginAs('finance');
    partner = await t.loginAs('partner', { partnerId: P.id });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    out.stop();
    // with TEST_LOG_LEVEL set, show the server errors of this run (the app itself logs at info here)
    if (process.env.TEST_LOG_LEVEL) process.stderr.write(out.text().split('\n').filter((l) => /"level":50|ERROR/.test(l)).join('\n') + '\n');
  });

  /** the last error the app logged (for the failure message) */
  const lastServerError = () => {
    const line = out.text().split('\n').reverse().find((l) => l.includes('"level":50'));
    return line ? (/"msg":"(.{0,400})/.exec(line)?.[1] ?? line.slice(0, 400)) : '(none logged)';
  };
  const json = (s: Session, method: 'post' | 'put' | 'patch', url: string) => s.agent[method](url).set('Accept', 'application/json').set('x-csrf-token', s.csrf);

  describe('CSRF: every state-changing route refuses a missing or forged token', () => {
    it('finds the state-changing routes', () => {
      const writes = routes.filter((r) => r.method !== 'GET');
      expect(writes.length).toBeGreaterThan(40);
      expect(writes.map((r) => r.key)).toEqual(expect.arrayContaining(['POST /api/records', 'POST /api/settlement/batches/:id/approve', 'POST /api/auth/login']));
    });

    it.each(['admin', 'partner'] as const)('as a signed-in %s: no token → 403, forged token → 403, nothing written', async (who) => {
      const s = who === 'admin' ? admin : partner;
      const auditBefore = (await t.db.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n;
      const problems: string[] = [];
      for (const r of routes.filter((x) => x.method !== 'GET')) {
        const m = r.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
        const url = concretePath(r.path);
        const allowed = r.declared === 'public' || (Array.isArray(r.declared) && r.declared.includes(who));
        for (const token of [undefined, 'forged-token', `${s.csrf.slice(0, -2)}xx`]) {
          let req = s.agent[m](url).set('Accept', 'application/json');
          if (token) req = req.set('x-csrf-token', token);
          const res = await req.send({ reason: 'csrf probe', comment: 'x', period: '2026Q3' });
          // bearer-token routes ignore cookies altogether: a browser session (the thing CSRF abuses) gets 401
          if (r.declared === 'service') { if (res.status !== 401) problems.push(`${r.key} (bearer) with a session: ${res.status}`); continue; }
          if (res.status !== 403) problems.push(`${r.key} token=${token ?? 'none'}: ${res.status}`);
          // for a caller the route allows, the refusal must be the CSRF check (not some later error)
          else if (allowed && !/CSRF/.test(res.body?.message ?? '')) problems.push(`${r.key} token=${token ?? 'none'}: 403 but not the CSRF refusal: ${res.body?.message}`);
        }
      }
      expect(problems).toEqual([]);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n).toBe(auditBefore);
      // the session survived the probes (logout without a token did nothing)
      expect((await s.getJson('/api/auth/me')).status).toBe(200);
    }, 600_000);

    it('a multipart upload with a forged token in the query is refused', async () => {
      const res = await finance.agent.post('/settlement/accruals/import?_csrf=forged').set('Accept', 'application/json').field('period', '2026Q3').attach('file', Buffer.from('a,b\n'), 'x.csv');
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/CSRF/);
    });
  });

  describe('hostile input', () => {
    const record = (over: Record<string, unknown> = {}) => ({ customerId: customer.id, recordType: 'visit', occurredAt: '2026-11-20T09:30', description: 'regular visit', ...over });

    it('an oversized JSON body gets 413 with a JSON message', async () => {
      const res = await json(partner, 'post', '/api/records').send(record({ description: 'x'.repeat(2 * 1024 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/json/);
      expect(res.body.message).toMatch(/too large|limit/i);
    });

    it('an oversized form body gets 413 (API) with a message, not a 500', async () => {
      const res = await partner.agent.post('/api/records').set('Accept', 'application/json').set('x-csrf-token', partner.csrf).type('form')
        .send(`customerId=${customer.id}&description=${'y'.repeat(2 * 1024 * 1024)}`);
      expect(res.status).toBe(413);
      expect(res.body.message).toMatch(/too large|limit/i);
    });

    it('malformed JSON gets 400 with a message', async () => {
      const res = await partner.agent.post('/api/records').set('Accept', 'application/json').set('x-csrf-token', partner.csrf).set('Content-Type', 'application/json').send('{"customerId": 1,');
      expect(res.status).toBe(400);
      expect(typeof res.body.message).toBe('string');
    });

    it('wrong types get 400 naming the field', async () => {
      const cases: [string, string, Record<string, unknown>, Session][] = [
        ['/api/records', 'customerId', record({ customerId: 'abc' }), partner],
        ['/api/records', 'description', record({ description: { $gt: '' } }), partner],
        ['/api/records', 'occurredAt', record({ occurredAt: ['2026-11-20'] }), partner],
        ['/api/violations', 'partnerId', { partnerId: 'one', occurredOn: '2026-11-20', kindId: 1, description: 'x' }, manager],
        ['/api/settlement/adjustments', 'partnerId', { partnerId: '1; DROP TABLE partner', amount: '-1.00', kind: 'manual', reason: 'x', reference: 'R-1' }, finance],
        ['/api/users', 'role', { username: 'typed.user', password: 'long-enough-1', role: 'root' }, admin],
      ];
      const problems: string[] = [];
      for (const [url, field, body, s] of cases) {
        const res = await json(s, 'post', url).send(body);
        const fields = (res.body.errors ?? []).map((e: { field: string }) => e.field);
        if (res.status !== 400 || !fields.includes(field)) problems.push(`${url} ${field}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
    });

    it('extra fields get 400 naming the field (no mass assignment)', async () => {
      const cases: [string, Record<string, unknown>, Session, string][] = [
        ['/api/records', record({ partnerId: 999, isAdmin: true }), partner, 'isAdmin'],
        ['/api/users', { username: 'extra.user', email: 'extra.user@example.cn', role: 'finance', passwordHash: 'x' }, admin, 'passwordHash'],
        [`/api/partners/${P.id}/suspend`, { reason: 'x', status: 'active' }, manager, 'status'],
        ['/api/settlement/inquiries', { lineId: 1, amount: '1.00', reason: 'x', partnerId: 1 }, partner, 'partnerId'],
      ];
      const problems: string[] = [];
      for (const [url, body, s, field] of cases) {
        const res = await json(s, 'post', url).send(body);
        const fields = (res.body.errors ?? []).map((e: { field: string }) => e.field);
        if (res.status !== 400 || !fields.includes(field)) problems.push(`${url} ${field}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM user_account WHERE username = 'extra.user'`))[0].n).toBe(0);
    });

    it('too long strings get 400 naming the field', async () => {
      const res = await json(partner, 'post', '/api/records').send(record({ description: 'z'.repeat(2001) }));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('description');
    });

    it('emoji, right-to-left text and markup are stored as given and rendered escaped', async () => {
      const text = '客户拜访 👩‍💻🚀 مرحبا بالعالم \u202Egnp.exe <script>alert(1)</script> "quoted" & \'single\'';
      const res = await json(partner, 'post', '/api/records').send(record({ description: text, outcome: 'ok ✅' }));
      expect(res.status).toBe(201);
      const [row] = await t.db.query(`SELECT description FROM service_record WHERE id = $1`, [res.body.id]);
      expect(row.description).toBe(text);
      const page = await partner.get('/my/records').expect(200);
      expect(page.text).toContain('👩‍💻🚀');
      expect(page.text).not.toContain('<script>alert(1)</script>');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('a NUL byte in a text field gets a 4xx with a clear message, never a 500', async () => {
      const attempts: [string, Record<string, unknown>, Session][] = [
        ['/api/records', record({ description: 'before\u0000after' }), partner],
        ['/api/violations', { partnerId: P.id, occurredOn: '2026-11-20', kindId: 1, description: 'nul\u0000byte' }, manager],
        ['/api/users', { username: 'nul.user', displayName: 'Nul\u0000Name', email: 'nul.user@example.cn', role: 'finance' }, admin],
        ['/api/onboarding/apply', { name: 'Nul\u0000 Co', creditCode: '91520100000000001X', contactName: 'Li', contactPhone: '12345678', contactEmail: 'a@b.cn', region: 'Guiyang', cooperationType: 'sales' }, admin],
      ];
      const problems: string[] = [];
      for (const [url, body, s] of attempts) {
        const res = await json(s, 'post', url).send(body);
        if (res.status < 400 || res.status >= 500 || !res.body.message) problems.push(`${url}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)} server: ${lastServerError().slice(0, 160)}`);
      }
      const reason = await json(manager, 'post', `/api/partners/${P.id}/suspend`).send({ reason: 'nul\u0000reason' });
      if (reason.status < 400 || reason.status >= 500) problems.push(`/api/partners/:id/suspend: ${reason.status} ${JSON.stringify(reason.body).slice(0, 200)}`);
      expect(problems).toEqual([]);
      const named = await json(partner, 'post', '/api/records').send(record({ description: 'before\u0000after' }));
      expect(named.body.errors?.map((e: { field: string }) => e.field)).toContain('description');
    });
  });

  describe('SQL injection in every query parameter and path parameter of every GET route', () => {
    const PAYLOADS = [`' OR 1=1 --`, `%'; DROP TABLE partner; --`, '\\', `1' UNION SELECT password_hash FROM user_account --`];
    const PARAMS = ['q', 'region', 'status', 'tier', 'type', 'after', 'before', 'limit', 'page', 'stage', 'customerClass', 'partnerId', 'customerId',
      'kindId', 'severity', 'from', 'to', 'period', 'sort', 'dir', 'ref', 'next'];
    const sessionFor = (r: RouteInfo): Session | null => {
      if (r.declared === 'public') return admin;
      if (!Array.isArray(r.declared)) return null;
      for (const [role, s] of [['admin', admin], ['channel_manager', manager], ['finance', finance], ['partner', partner]] as const) if (r.declared.includes(role)) return s;
      return null;
    };

    it('never answers 500 and never leaks a hash; the partner table is still there', async () => {
      const problems: string[] = [];
      let requests = 0;
      for (const r of routes.filter((x) => x.method === 'GET' && !x.path.startsWith('/api/docs') && x.path !== '/health')) {
        const s = sessionFor(r);
        if (!s) continue;
        const urls: string[] = [];
        for (const p of PAYLOADS) {
          for (const name of PARAMS) urls.push(`${concretePath(r.path)}?${name}=${encodeURIComponent(p)}`);
          // each path parameter in turn (the others filled with harmless values)
          for (const param of r.path.match(/:[A-Za-z]+/g) ?? []) urls.push(concretePath(r.path.replace(param, encodeURIComponent(p))));
        }
        for (const u of urls) {
          const res = await s.agent.get(u).set('Accept', 'application/json');
          requests++;
          if (res.status >= 500) problems.push(`GET ${u} (${r.key}): ${res.status} ${JSON.stringify(res.body).slice(0, 160)} server: ${lastServerError()}`);
          if (/\$argon2/.test(res.text)) problems.push(`GET ${u}: shows a password hash`);
        }
      }
      expect(requests).toBeGreaterThan(1000);
      expect(problems).toEqual([]);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM partner`);
      expect(n).toBeGreaterThan(0);
    }, 1_200_000); // every query parameter × payload × GET route: tens of thousands of requests

    it('search boxes return no extra rows for injection strings', async () => {
      const problems: string[] = [];
      for (const p of PAYLOADS) {
        const e = encodeURIComponent(p);
        const checks: [Session, string, (b: any) => unknown[]][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
          [manager, `/api/partners?q=${e}`, (b) => b.rows ?? b.items ?? b],
          [manager, `/api/partners?region=${e}`, (b) => b.rows ?? b.items ?? b],
          [manager, `/api/customers?q=${e}`, (b) => b.rows ?? b.items ?? b],
          [manager, `/api/customers?region=${e}`, (b) => b.rows ?? b.items ?? b],
        ];
        for (const [s, url, rowsOf] of checks) {
          const res = await s.getJson(url);
          if (res.status === 400) continue;
          const rows = res.status === 200 ? rowsOf(res.body) : null;
          if (!Array.isArray(rows) || rows.length !== 0) problems.push(`${url}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
        // pages: the sentinel row must not be listed (the customers page lists partners in its filter, so check the customer code there)
        for (const [url, sentinel] of [[`/partners?q=${e}`, P.code], [`/customers?q=${e}`, customer.code], [`/partners?region=${e}`, P.code], [`/customers?region=${e}`, customer.code]]) {
          const res = await manager.get(url);
          if (res.status !== 200 && res.status !== 400) problems.push(`${url}: ${res.status}`);
          if (res.text.includes(sentinel)) problems.push(`${url}: shows rows that do not match`);
        }
      }
      // control: the same searches with a real term do find the rows
      expect(JSON.stringify((await manager.getJson(`/api/partners?q=Sentinel`)).body)).toContain(P.name);
      expect((await manager.get(`/customers?q=SENTINEL`)).text).toContain(customer.code);
      expect((await manager.get(`/partners?q=Sentinel`)).text).toContain(P.code);
      expect(problems).toEqual([]);
    });
  });

  describe('CSV injection in exports', () => {
    const EVIL = { code: '=EVIL1', name: '+SUM(A1:A9)', bank: '@evil', customer: '-2+3', product: '=HYPERLINK("http://x")', reason: '@SUM(1)', reference: '=ref-1' };
    let evil: { id: number; code: string };
    let batchId: number;

    beforeAll(async () => {
      evil = await t.createPartner({ code: EVIL.code, name: EVIL.name, bankAccountName: EVIL.bank });
      await importCsv(t, '2026Q3', `${EVIL.code},${EVIL.customer},"${EVIL.product.replace(/"/g, '""')}",2026-08-01,1000.00,CSVI-1\n`);
      await t.get(SettlementService).addAdjustment(SYSTEM_ACTOR, { partnerId: evil.id, amount: '-10.00', kind: 'manual', reason: EVIL.reason, reference: EVIL.reference });
      batchId = (await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3', { overrides: { [evil.id]: '=cmd|calc' } })).batchId;
      await t.get(SettlementBatchService).approve(await checker(t), batchId, 'ok');
    });

    const cells = (csv: string) => csv.split(/\r?\n/).flatMap((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)).map((c) => c.replace(/^"|"$/g, '').replace(/""/g, '"'));
    const dangerous = (csv: string) => cells(csv).filter((c) => /^[=+\-@]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c));

    it('the payout export prefixes formula cells with an apostrophe', async () => {
      const res = await finance.agent.post(`/settlement/batches/${batchId}/export`).type('form').send({ _csrf: finance.csrf });
      expect([200, 201]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      expect(res.text).toContain(`'${EVIL.code}`);
      expect(res.text).toContain(`'${EVIL.name}`);
      expect(dangerous(res.text)).toEqual([]);
    });

    it('the statement CSV (finance and partner) prefixes customer codes, products, reasons and references', async () => {
      const res = await finance.get(`/settlement/statements/${evil.id}/2026Q3/csv`).expect(200);
      for (const v of [EVIL.customer, EVIL.reason, EVIL.reference]) expect(res.text).toContain(`'${v}`);
      expect(res.text).toContain(`'=HYPERLINK(`);
      expect(dangerous(res.text)).toEqual([]);
      const evilUser = await t.loginAs('partner', { partnerId: evil.id });
      const mine = await evilUser.get('/my/statements/2026Q3/csv').expect(200);
      expect(dangerous(mine.text)).toEqual([]);
      expect(mine.text).toContain(`'${EVIL.customer}`);
    });

    it('the scoring export prefixes partner codes', async () => {
      await json(manager, 'post', '/api/scoring/periods').send({ period: '2026Q3' }).expect(201);
      for (const url of ['/api/scoring/periods/2026Q3/export.csv', '/scoring/2026Q3/export.csv']) {
        const res = await manager.get(url).expect(200);
        expect(res.text).toContain(`'${EVIL.code}`);
        expect(dangerous(res.text)).toEqual([]);
      }
    });
  });

  describe('passwords', () => {
    const SECRET = 'Correct-Horse-Battery-9';

    it('are stored as argon2id hashes, with a minimum length', async () => {
      // logins are invitations: the person sets the password through the mailed link, where the rule applies
      expect((await json(admin, 'post', '/api/users').send({ username: 'hash.check', email: 'hash.check@example.cn', role: 'finance' })).status).toBe(201);
      const [mail] = await t.db.query(`SELECT params FROM mail_outbox WHERE template = 'invitation' ORDER BY id DESC LIMIT 1`);
      const link = new URL(String(mail.params.link)).pathname;
      const short = await (await t.anonymousWithCsrf()).post(link, { password: 'short-pw1', passwordConfirm: 'short-pw1' }).set('Accept', 'application/json');
      expect(short.status).toBe(400);
      expect(short.body.errors.map((e: { field: string }) => e.field)).toContain('password');
      await t.acceptInvitation('hash.check', SECRET);
      const [row] = await t.db.query(`SELECT password_hash FROM user_account WHERE username = 'hash.check'`);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$(?=[^$]*m=\d+)(?=[^$]*t=\d+)[^$]+\$/);
      expect(row.password_hash).not.toContain(SECRET);
    });

    it('never appear in API output or in the logs (login, failed login, user creation)', async () => {
      out.clear();
      const created = await json(admin, 'post', '/api/users').send({ username: 'log.check', email: 'log.check@example.cn', role: 'channel_manager', displayName: 'Log Check' });
      expect(created.status).toBe(201);
      await t.acceptInvitation('log.check', SECRET);
      const anon = await t.anonymousWithCsrf();
      const wrong = await anon.post('/api/auth/login', { username: 'log.check', password: `${SECRET}-wrong` });
      expect(wrong.status).toBe(401);
      const login = await anon.post('/api/auth/login', { username: 'log.check', password: SECRET });
      expect(login.status).toBe(200);
      const form = await (await t.anonymousWithCsrf()).postForm('/login', { username: 'log.check', password: SECRET });
      expect(form.status).toBe(303);
      const invite = await json(manager, 'post', `/api/partners/${P.id}/users`).send({ username: 'invited.user', email: 'invited.user@example.cn' });
      expect(invite.status).toBeLessThan(300);
      const me = await new Session(anon.agent, login.body.csrfToken).getJson('/api/auth/me');
      const users = await admin.getJson('/api/users');
      await new Promise((r) => setTimeout(r, 300)); // let the async log stream flush
      const logs = out.text();
      // the capture works: the request log lines are there
      expect(logs).toContain('/api/auth/login');
      expect(logs).toContain('/api/users');
      for (const text of [logs, JSON.stringify(created.body), JSON.stringify(login.body), JSON.stringify(me.body), JSON.stringify(users.body), JSON.stringify(invite.body)]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain('$argon2');
        expect(text).not.toMatch(/passwordHash|password_hash/);
      }
    });
  });
});
