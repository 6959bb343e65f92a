import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

export interface WebhookAnswer { status: number; body: string }

/**
 * Agents that refuse to connect to private, loopback, link-local and reserved addresses — checked on the address the
 * name resolves to when connecting, so a public-looking name pointing inside the network (or re-pointed after the
 * subscription was made) is refused too. A receiver inside the operator's own network is allowed by listing its
 * address or range in WEBHOOK_ALLOWED_ADDRESSES (e.g. `10.20.0.0/16`).
 */
export function webhookAgents(allowed: string): { http: Agent; https: Agent } {
  const allowIPAddressList = allowed.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    http: new RequestFilteringHttpAgent({ allowIPAddressList, keepAlive: false }),
    https: new RequestFilteringHttpsAgent({ allowIPAddressList, keepAlive: false }),
  };
}

/** One POST; redirects are not followed (a receiver cannot bounce the portal elsewhere); the answer's body is cut to `keep` characters. */
export function postWebhook(url: string, headers: Record<string, string>, body: string, agents: { http: Agent; https: Agent }, timeoutMs: number, keep: number): Promise<WebhookAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: 'POST', agent: target.protocol === 'https:' ? agents.https : agents.http, signal: AbortSignal.timeout(timeoutMs),
      headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (text.length < keep) text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.slice(0, keep) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
