import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { AppConfig } from '../../core/config/app-config.service';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { RuleViolation } from '../../core/web/errors';
import { newWebhookSecret, signWebhook } from './token.util';
import { WEBHOOK_DELIVER_JOB, WEBHOOK_EVENTS, webhookOutbox } from './webhook-events';
import { postWebhook, webhookAgents } from './webhook-post';

export interface SubscriptionRow { id: number; service_account_id: number; url: string; events: string[]; active: boolean; created_at: Date }

const RESPONSE_KEPT = 2000;

/** Webhook subscriptions of service accounts and the signed, retried deliveries of their events. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');
  private readonly agents: ReturnType<typeof webhookAgents>;

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly jobs: JobQueue, private readonly audit: AuditService, config: AppConfig) {
    webhookOutbox.queue = jobs;
    this.agents = webhookAgents(config.get('WEBHOOK_ALLOWED_ADDRESSES'));
    jobs.define<{ deliveryId: string }>({
      name: WEBHOOK_DELIVER_JOB, retryLimit: config.get('WEBHOOK_RETRY_LIMIT'), retryDelay: config.get('WEBHOOK_RETRY_SECONDS'), expireInSeconds: 120,
      handle: (data) => this.deliver(data.deliveryId),
    });
  }

  subscriptions(accountId: number): Promise<SubscriptionRow[]> {
    return this.db.query(`SELECT id, service_account_id, url, events, active, created_at FROM webhook_subscription WHERE service_account_id = $1 ORDER BY id`, [accountId]);
  }

  /** The secret is returned this once (kept to sign; never shown again). */
  async subscribe(actor: Actor, accountId: number, input: { url: string; events: string[] }): Promise<SubscriptionRow & { secret: string }> {
    let url: URL;
    try { url = new URL(input.url?.trim()); } catch { throw new RuleViolation('integrations:errors.badUrl', 'url'); }
    if (!['http:', 'https:'].includes(url.protocol) || input.url.length > 2000) throw new RuleViolation('integrations:errors.badUrl', 'url');
    const events = [...new Set(input.events ?? [])];
    if (!events.length || !events.every((e) => (WEBHOOK_EVENTS as readonly string[]).includes(e))) throw new RuleViolation('integrations:errors.badEvents', 'events');
    const secret = newWebhookSecret();
    return this.db.transaction(async (m) => {
      const [a] = await m.query(`SELECT id FROM service_account WHERE id = $1`, [accountId]);
      if (!a) throw new NotFoundException('integrations:errors.accountNotFound');
      const [row] = await m.query(`INSERT INTO webhook_subscription (service_account_id, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING id, service_account_id, url, events, active, created_at`,
        [accountId, url.toString(), events, secret]);
      await this.audit.record(actor, { action: 'integrations.webhook.subscribe', entityType: 'webhook_subscription', entityId: row.id, after: { url: row.url, events } }, m);
      return { ...row, secret };
    });
  }

  async unsubscribe(actor: Actor, accountId: number | null, id: number): Promise<void> {
    await this.db.transaction(async (m) => {
      const rows = await m.query(`UPDATE webhook_subscription SET active = false WHERE id = $1 AND ($2::int IS NULL OR service_account_id = $2) AND active RETURNING id`, [id, accountId]);
      if (!(rows[0]?.length ?? rows.length)) throw new NotFoundException('integrations:errors.subscriptionNotFound');
      await this.audit.record(actor, { action: 'integrations.webhook.unsubscribe', entityType: 'webhook_subscription', entityId: id, after: { active: false } }, m);
    });
  }

  deliveries(opts: { accountId?: number; limit?: number } = {}): Promise<Record<string, unknown>[]> {
    return this.db.query(`SELECT d.id, d.event_id, d.event_type, d.status, d.attempts, d.response_status, d.response_body, d.last_error, d.created_at, d.delivered_at,
        s.url, a.name AS account FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id JOIN service_account a ON a.id = s.service_account_id
       WHERE ($1::int IS NULL OR a.id = $1) ORDER BY d.id DESC LIMIT $2`, [opts.accountId ?? null, opts.limit ?? 200]);
  }

  /** Sends the delivery again (same event id, so a receiver that already has it ignores it). */
  async replay(actor: Actor, deliveryId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const rows = await m.query(`UPDATE webhook_delivery SET status = 'pending' WHERE id = $1 RETURNING id`, [deliveryId]);
      if (!(rows[0]?.length ?? rows.length)) throw new NotFoundException('integrations:errors.deliveryNotFound');
      await this.jobs.enqueue(WEBHOOK_DELIVER_JOB, { deliveryId, replay: true }, { manager: m, createdBy: actor.id > 0 ? actor.id : null });
      await this.audit.record(actor, { action: 'integrations.webhook.replay', entityType: 'webhook_delivery', entityId: deliveryId }, m);
    });
  }

  /** One attempt: signed POST; the answer is kept; anything but 2xx throws, so the job queue retries with backoff. */
  async deliver(deliveryId: string): Promise<{ status: number }> {
    const [d] = await this.db.query(`SELECT d.id, d.event_id, d.event_type, d.payload, d.status, s.url, s.secret, s.active FROM webhook_delivery d
      JOIN webhook_subscription s ON s.id = d.subscription_id WHERE d.id = $1`, [deliveryId]);
    if (!d || d.status === 'delivered' || !d.active) return { status: 0 };
    const body = JSON.stringify(d.payload);
    const t = Math.floor(Date.now() / 1000);
    let status = 0;
    let text = '';
    let error: string | null = null;
    try {
      const res = await postWebhook(d.url, {
        'Content-Type': 'application/json', 'User-Agent': 'PartnerPortal-Webhooks/1', 'X-Portal-Event': d.event_type, 'X-Portal-Event-Id': d.event_id,
        'X-Portal-Delivery': String(d.id), 'X-Portal-Signature': signWebhook(d.secret, body, t),
      }, body, this.agents, 10_000, RESPONSE_KEPT);
      status = res.status;
      text = res.body;
    } catch (e) {
      error = (e as Error).message.slice(0, 500);
    }
    const ok = status >= 200 && status < 300;
    await this.db.query(`UPDATE webhook_delivery SET attempts = attempts + 1, status = $2::varchar, response_status = $3, response_body = $4, last_error = $5, delivered_at = CASE WHEN $2::varchar = 'delivered' THEN now() ELSE delivered_at END WHERE id = $1`,
      [deliveryId, ok ? 'delivered' : 'failed', status || null, text, error]);
    if (!ok) throw new Error(`webhook ${d.url} answered ${status || error}`);
    return { status };
  }
}
