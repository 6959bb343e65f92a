import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebhooksService } from '../../src/modules/integrations/webhooks.service';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Webhooks never reach inside the network (SSRF): a subscription naming a loopback / private address — or a name
 * that resolves to one — is refused when connecting, unless WEBHOOK_ALLOWED_ADDRESSES lists it. The receiver here
 * listens on 127.0.0.1 and must receive nothing.
 */
describe('webhook deliveries refuse private and loopback addresses', () => {
  let t: TestApp;
  let server: Server;
  let port = 0;
  let hits = 0;

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_RETRY_LIMIT: '0' });
    server = createServer((_req, res) => { hits++; res.statusCode = 204; res.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => { await new Promise((r) => server.close(r)); await t?.close(); });

  async function delivery(url: string): Promise<string> {
    const [acct] = await t.db.query(`INSERT INTO service_account (name, owner, purpose) VALUES ($1, 'IT', 'test') RETURNING id`, [`ssrf-${randomUUID().slice(0, 8)}`]);
    const [sub] = await t.db.query(`INSERT INTO webhook_subscription (service_account_id, url, events, secret) VALUES ($1, $2, '{partner.status_changed}', 'whsec_x') RETURNING id`, [acct.id, url]);
    const [d] = await t.db.query(`INSERT INTO webhook_delivery (subscription_id, event_id, event_type, payload) VALUES ($1, $2, 'partner.status_changed', '{}') RETURNING id`, [sub.id, randomUUID()]);
    return String(d.id);
  }

  for (const host of ['127.0.0.1', 'localhost']) {
    it(`http://${host}:PORT is refused before any byte is sent, and the delivery says why`, async () => {
      const id = await delivery(`http://${host}:${port}/hook`);
      await expect(t.get(WebhooksService).deliver(id)).rejects.toThrow(/answered/);
      const [d] = await t.db.query(`SELECT status, attempts, response_status, last_error FROM webhook_delivery WHERE id = $1`, [id]);
      expect(d).toMatchObject({ status: 'failed', attempts: 1, response_status: null });
      expect(d.last_error).toMatch(/not allowed/i);
      expect(hits).toBe(0);
    });
  }

  it('the cloud metadata address is refused too', async () => {
    const id = await delivery('http://169.254.169.254/latest/meta-data/');
    await expect(t.get(WebhooksService).deliver(id)).rejects.toThrow();
    const [d] = await t.db.query(`SELECT last_error FROM webhook_delivery WHERE id = $1`, [id]);
    expect(d.last_error).toMatch(/not allowed/i);
  });
});
