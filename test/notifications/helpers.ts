import { DataSource, EntityManager } from 'typeorm';
import { TestApp } from '../support/test-app';

/** Two partners with two users each on A (a Chinese reader without a saved language, an English reader), staff users. */
export async function notificationPeople(t: TestApp) {
  const partnerA = await t.createPartner();
  const partnerB = await t.createPartner();
  const a1 = await t.createUser('partner', { partnerId: partnerA.id });
  const a2 = await t.createUser('partner', { partnerId: partnerA.id });
  const b1 = await t.createUser('partner', { partnerId: partnerB.id });
  const manager = await t.createUser('channel_manager');
  const finance1 = await t.createUser('finance');
  const finance2 = await t.createUser('finance');
  const admin = await t.createUser('admin');
  for (const u of [a1, a2, b1, manager, finance1, finance2, admin]) {
    await t.db.query(`UPDATE user_account SET email = $2 WHERE id = $1`, [u.id, `${u.username}@example.cn`]);
  }
  await t.db.query(`UPDATE user_account SET locale = 'en' WHERE id = $1`, [a2.id]);
  return { partnerA, partnerB, a1, a2, b1, manager, finance1, finance2, admin };
}

export interface NotificationRow { id: string; recipientUserId: number | null; recipientEmail: string | null; kind: string; eventKey: string; params: Record<string, unknown>; link: string; readAt: Date | null }

export async function notificationsOf(db: DataSource | EntityManager, kind: string): Promise<NotificationRow[]> {
  return db.query(
    `SELECT id, recipient_user_id AS "recipientUserId", recipient_email AS "recipientEmail", kind, event_key AS "eventKey", params, link, read_at AS "readAt"
       FROM notification WHERE kind = $1 ORDER BY id`, [kind]);
}

export async function outboxOf(db: DataSource, like: string): Promise<{ id: string; toAddress: string; userId: number | null; lang: string; dedupeKey: string; template: string; params: Record<string, unknown> }[]> {
  return db.query(
    `SELECT id, to_address AS "toAddress", user_id AS "userId", lang, dedupe_key AS "dedupeKey", template, params FROM mail_outbox WHERE dedupe_key LIKE $1 ORDER BY id`, [like]);
}
