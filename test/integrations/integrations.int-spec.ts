import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { ServiceAccountsService } from '../../src/modules/integrations/service-accounts.service';
import { verifyWebhook } from '../../src/modules/integrations/token.util';
import { WebhooksService } from '../../src/modules/integrations/webhooks.service';
import { PartnersService } from '../../src/modules/partners/partners.service';
import { createTestApp, TestApp } from '../support/test-app';

const ADMIN = { ...SYSTEM_ACTOR, id: 0, username: 'admin-test' };

describe('integrations: service accounts, bearer tokens, /api/v1, webhooks', () => {
  let t: TestApp;
  let accounts: ServiceAccountsService;
  let accountId: number;
  let partner: { id: number; code: string };
  const api = () => request(t.http);

  const token = async (scopes: string[], opts: { days?: number; ratePerMinute?: number } = {}) => (await accounts.issue(ADMIN, accountId, { scopes, ...opts })).token;

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_RETRY_SECONDS: '1', WEBHOOK_RETRY_LIMIT: '4', WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1' }); // the receiver runs here
    accounts = t.get(ServiceAccountsService);
    accountId = (await accounts.create(ADMIN, { name: 'boss-billing', owner: '计费中心', purpose: 'BOSS 每日计提' })).id;
    partner = await t.createPartner();
  }, 60_000);
  afterAll(() => t?.close());

  describe('token lifecycle', () => {
    it('issues a token shown once and stored as a hash; use records time and address; audited under the account', async () => {
      const tk = await token(['settlement:read']);
      expect(tk).toMatch(/^ppt_/);
      const [stored] = await t.db.query(`SELECT token_hash FROM service_token ORDER BY id DESC LIMIT 1`);
      expect(stored.token_hash).not.toContain(tk.slice(4, 20));
      const res = await api().get('/api/v1/partners').set('Authorization', `Bearer ${tk}`).expect(200);
      expect(res.body.items.map((p: { code: string }) => p.code)).toContain(partner.code);
      const [used] = await t.db.query(`SELECT last_used_at, last_used_ip FROM service_token ORDER BY id DESC LIMIT 1`);
      expect(used.last_used_at).not.toBeNull();
      expect(used.last_used_ip).toMatch(/127\.0\.0\.1|::/);
      const [audit] = await t.db.query(`SELECT actor_label, action FROM audit_log WHERE action = 'api.call' ORDER BY id DESC LIMIT 1`);
      expect(audit).toEqual({ actor_label: 'service:boss-billing', action: 'api.call' });
    });

    it('rotation keeps the old token valid for the overlap, then only the new one', async () => {
      const old = await token(['settlement:read']);
      const [{ id }] = await t.db.query(`SELECT id FROM service_token ORDER BY id DESC LIMIT 1`);
      const fresh = (await accounts.rotate(ADMIN, id, 1)).token;
      await api().get('/api/v1/partners').set('Authorization', `Bearer ${old}`).expect(200);
      await api().get('/api/v1/partners').set('Authorization', `Bearer ${fresh}`).expect(200);
      await t.db.query(`UPDATE service_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]); // the overlap has passed
      const gone = await api().get('/api/v1/partners').set('Authorization', `Bearer ${old}`).expect(401);
      expect(gone.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(gone.body).toMatchObject({ status: 401, code: 'invalid_token', type: expect.stringContaining('invalid-token'), title: expect.any(String), detail: expect.any(String) });
      await api().get('/api/v1/partners').set('Authorization', `Bearer ${fresh}`).expect(200);
    });

    it('a revoked token answers 401 at once; an expired one too', async () => {
      const tk = await token(['settlement:read']);
      const [{ id }] = await t.db.query(`SELECT id FROM service_token ORDER BY id DESC LIMIT 1`);
      await api().get('/api/v1/partners').set('Authorization', `Bearer ${tk}`).expect(200);
      await accounts.revoke(ADMIN, id);
      await api().get('/api/v1/partners').set('Authorization', `Bearer ${tk}`).expect(401);
      const short = await token(['settlement:read'], { days: 1 });
      await t.db.query(`UPDATE service_token SET expires_at = now() - interval '1 minute' WHERE id = (SELECT max(id) FROM service_token)`);
      await api().get('/api/v1/partners').set('Authorization', `Bearer ${short}`).expect(401);
    });

    it('limits requests per token (PostgreSQL counter): 429 with Retry-After', async () => {
      const tk = await token(['settlement:read'], { ratePerMinute: 2 });
      await api().get('/api/v1/partners').set('Authorization', `Bearer ${tk}`).expect(200);
      await api().get('/api/v1/partners').set('Authorization', `Bearer ${tk}`).expect(200);
      const res = await api().get('/api/v1/partners').set('Authorization', `Bearer ${tk}`).expect(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body.code).toBe('rate_limited');
    });
  });

  describe('scopes and sessions', () => {
    it('a missing scope answers 403 per route; the right scope passes', async () => {
      const read = await token(['settlement:read']);
      const write = await token(['accruals:write']);
      const cust = await token(['customers:write']);
      const forbidden = await api().post('/api/v1/accruals?period=2026Q3').set('Authorization', `Bearer ${read}`).set('Idempotency-Key', 'k-scope').type('text/csv').send('x').expect(403);
      expect(forbidden.body.code).toBe('insufficient_scope');
      await api().get('/api/v1/settlement/batches?status=approved').set('Authorization', `Bearer ${write}`).expect(403);
      await api().get('/api/v1/settlement/batches?status=approved').set('Authorization', `Bearer ${read}`).expect(200);
      await api().put('/api/v1/customers/C-1').set('Authorization', `Bearer ${read}`).send({}).expect(403);
      await api().get('/api/v1/webhooks').set('Authorization', `Bearer ${cust}`).expect(403);
      await api().post('/api/v1/settlement/batches/1/payments').set('Authorization', `Bearer ${read}`).send({}).expect(403);
    });

    it('a signed-in admin session (cookie + CSRF token) alone is not enough: 401', async () => {
      const admin = await t.loginAs('admin');
      await admin.getJson('/api/v1/partners').expect(401);
      await admin.post('/api/v1/webhooks', { url: 'http://x', events: ['batch.paid'] }).expect(401);
    });

    it('the machine API is in the OpenAPI document with bearer security and examples', async () => {
      const doc = (await api().get('/api/docs/openapi.json').expect(200)).body;
      const post = doc.paths['/api/v1/accruals'].post;
      expect(post.security).toEqual(expect.arrayContaining([expect.objectContaining({ bearer: expect.anything() })]));
      expect(JSON.stringify(post.requestBody)).toContain('BOSS-2026Q3-000001');
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      for (const path of ['/api/v1/customers/{code}', '/api/v1/partners', '/api/v1/partners/{code}', '/api/v1/settlement/batches', '/api/v1/settlement/batches/{id}/lines', '/api/v1/settlement/batches/{id}/payments', '/api/v1/webhooks']) expect(doc.paths[path]).toBeDefined();
    });

    it('upserts a customer through the customers service (create 201, change 200 with the holder from the effective date)', async () => {
      const tk = await token(['customers:write']);
      const body = { name: '贵阳某科技有限公司', industry: '制造业', region: '贵阳市', customerClass: 'B', effectiveOn: '2026-07-01', reason: 'CRM 同步' };
      await api().put('/api/v1/customers/C-API-1').set('Authorization', `Bearer ${tk}`).send(body).expect(201);
      const r = await api().put('/api/v1/customers/C-API-1').set('Authorization', `Bearer ${tk}`).send({ ...body, customerClass: 'A', partnerCode: partner.code }).expect(200);
      expect(r.body).toMatchObject({ code: 'C-API-1', customerClass: 'A', created: false });
      const [a] = await t.db.query(`SELECT a.partner_id, a.valid_from::text AS f FROM customer_assignment a JOIN customer c ON c.id = a.customer_id WHERE c.code = 'C-API-1'`);
      expect(a).toEqual({ partner_id: partner.id, f: '2026-07-01' });
      const bad = await api().put('/api/v1/customers/C-API-1').set('Authorization', `Bearer ${tk}`).send({ ...body, customerClass: 'Z' }).expect(422);
      expect(bad.body.errors[0]).toMatchObject({ field: 'customerClass', code: 'class' });
    });
  });

  describe('POST /api/v1/accruals', () => {
    const N = 100_000;
    const ndjson = (n: number, tag: string) => Array.from({ length: n }, (_, i) => JSON.stringify({ partner_code: partner.code, customer_code: 'C-API-1', product: '专线', accrual_date: '2026-07-15', amount: '1.25', reference: `${tag}-${i}` })).join('\n');

    it('imports 100,000 NDJSON lines once: a replay with the same key answers the same import and adds nothing', async () => {
      const tk = await token(['accruals:write']);
      const body = ndjson(N, 'BIG');
      const send = () => api().post('/api/v1/accruals?period=2026Q3').set('Authorization', `Bearer ${tk}`).set('Idempotency-Key', 'boss-2026Q3-1').type('application/x-ndjson').send(body);
      let first = await send();
      expect([201, 202]).toContain(first.status);
      if (first.status === 202) {
        const url = first.body.statusUrl;
        for (let i = 0; i < 600; i++) {
          const s = await api().get(url).set('Authorization', `Bearer ${tk}`);
          // PGlite runs one transaction at a time: while the job's import holds it, a request may time out (503)
          if (s.status === 503) continue;
          expect(s.status).toBe(200);
          if (s.body.status !== 'running') { first = { ...first, body: s.body.result } as typeof first; break; }
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      expect(first.body).toMatchObject({ lineCount: N, period: '2026Q3', total: '125000.00' });
      const again = await send();
      expect([200, 201]).toContain(again.status);
      expect(again.body.importId).toBe(first.body.importId);
      const [{ n, imports }] = await t.db.query(`SELECT count(*)::int AS n, count(DISTINCT import_id)::int AS imports FROM accrual_line WHERE reference LIKE 'BIG-%'`);
      expect({ n, imports }).toEqual({ n: N, imports: 1 });
    }, 240_000);

    it('the same key with a different body is refused (409); errors name the line and field (problem details)', async () => {
      const tk = await token(['accruals:write']);
      const send = (b: string, key: string) => api().post('/api/v1/accruals?period=2026Q3').set('Authorization', `Bearer ${tk}`).set('Idempotency-Key', key).type('application/json').send(b);
      const ok = JSON.stringify([{ partner_code: partner.code, customer_code: 'C-API-1', product: '专线', accrual_date: '2026-07-16', amount: '10.00', reference: 'SMALL-1' }]);
      expect((await send(ok, 'small-1')).status).toBe(201);
      const conflict = await send(ok.replace('10.00', '11.00'), 'small-1').expect(409);
      expect(conflict.body.code).toBe('idempotency_conflict');
      const bad = JSON.stringify([{ partner_code: partner.code, customer_code: 'C-API-1', product: 'x', accrual_date: '2026-07-16', amount: '1.00', reference: 'OK-2' }, { partner_code: partner.code, customer_code: 'C-API-1', product: 'x', accrual_date: '2026-07-16', amount: 'abc', reference: 'BAD-2' }]);
      const refused = await send(bad, 'bad-1').expect(422);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ line: 2, field: 'amount' })]));
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM accrual_line WHERE reference IN ('OK-2', 'BAD-2')`);
      expect(n).toBe(0);
      await send(bad, 'bad-1').expect(422); // the same refusal again
    });
  });

  describe('webhooks', () => {
    let server: Server;
    let url: string;
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    let failuresLeft = 2;

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          if (failuresLeft-- > 0) { res.statusCode = 503; res.end('busy'); return; }
          res.statusCode = 204;
          res.end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('a partner status change is delivered signed, retried after the receiver fails twice, with one event id', async () => {
      const tk = await token(['webhooks:manage']);
      const sub = await api().post('/api/v1/webhooks').set('Authorization', `Bearer ${tk}`).send({ url, events: ['partner.status_changed'] }).expect(201);
      const secret: string = sub.body.secret;
      expect(secret).toMatch(/^whsec_/);
      const listed = await api().get('/api/v1/webhooks').set('Authorization', `Bearer ${tk}`).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      await t.get(PartnersService).transition(ADMIN, partner.id, 'suspended', { reason: '测试暂停' });
      const end = Date.now() + 60_000;
      while (received.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
      expect(received.length).toBe(3);
      const ids = new Set(received.map((r) => r.headers['x-portal-event-id']));
      expect(ids.size).toBe(1);
      for (const r of received) expect(verifyWebhook(secret, r.body, String(r.headers['x-portal-signature']))).toBe(true);
      expect(verifyWebhook('whsec_wrong', received[2].body, String(received[2].headers['x-portal-signature']))).toBe(false);
      const event = JSON.parse(received[2].body);
      expect(event).toMatchObject({ type: 'partner.status_changed', data: { partnerCode: partner.code, from: 'active', to: 'suspended' } });
      let d: { status: string; attempts: number; response_status: number } | undefined;
      while (Date.now() < end) { [d] = await t.db.query(`SELECT status, attempts, response_status FROM webhook_delivery ORDER BY id DESC LIMIT 1`); if (d?.status === 'delivered') break; await new Promise((r) => setTimeout(r, 200)); }
      expect(d).toEqual({ status: 'delivered', attempts: 3, response_status: 204 });
    }, 90_000);

    it('no delivery exists when the change rolls back (enqueued in the same transaction)', async () => {
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM webhook_delivery`))[0].n;
      await t.db.transaction(async (m) => {
        await t.get(PartnersService).transition(ADMIN, partner.id, 'active', { reason: '恢复' }, m);
        throw new Error('rolled back');
      }).catch(() => undefined);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM webhook_delivery`))[0].n).toBe(before);
    });

    it('an admin replays a delivery with the same event id; the admin pages render in Chinese', async () => {
      const admin = await t.loginAs('admin');
      t.lang = 'zh-CN';
      const page = await admin.agent.get('/admin/integrations/deliveries').set('Accept-Language', 'zh-CN').expect(200);
      expect(page.text).toContain('事件推送投递记录');
      const [d] = await t.db.query(`SELECT id, event_id FROM webhook_delivery ORDER BY id DESC LIMIT 1`);
      const n = received.length;
      await admin.postForm(`/admin/integrations/deliveries/${d.id}/replay`, {}).expect(303);
      const end = Date.now() + 30_000;
      while (received.length === n && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
      expect(received[received.length - 1].headers['x-portal-event-id']).toBe(d.event_id);
      const acct = await admin.agent.get(`/admin/integrations/${accountId}`).set('Accept-Language', 'zh-CN').expect(200);
      expect(acct.text).toContain('boss-billing');
      expect(acct.text).toContain('令牌');
      t.lang = 'en';
      expect(t.get(WebhooksService)).toBeDefined();
    }, 60_000);
  });
});
