import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { JobQueue } from '../../core/jobs/job-queue.service';

export const WEBHOOK_EVENTS = ['batch.approved', 'batch.paid', 'partner.status_changed', 'exit.completed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_DELIVER_JOB = 'integrations.webhook-deliver';

/** Set by the integrations module when it starts; without it (a test app without the module) nobody is subscribed. */
export const webhookOutbox: { queue: JobQueue | null } = { queue: null };

/**
 * Called by a business module inside the transaction of its change (one line per place): one delivery per active
 * subscription, each enqueued as a durable job in that same transaction — it exists exactly when the change commits.
 */
export async function emitWebhookEvent(m: EntityManager, type: WebhookEventType, data: Record<string, unknown>): Promise<void> {
  const queue = webhookOutbox.queue;
  if (!queue) return;
  const id = randomUUID();
  const payload = { id, type, createdAt: new Date().toISOString(), data };
  const rows: { id: string }[] = await m.query(
    `INSERT INTO webhook_delivery (subscription_id, event_id, event_type, payload)
     SELECT s.id, $1::uuid, $2::varchar, $3::jsonb FROM webhook_subscription s JOIN service_account a ON a.id = s.service_account_id
      WHERE s.active AND a.active AND $2::text = ANY(s.events) RETURNING id`, [id, type, JSON.stringify(payload)]);
  for (const r of rows) await queue.enqueue(WEBHOOK_DELIVER_JOB, { deliveryId: String(r.id) }, { manager: m });
}
