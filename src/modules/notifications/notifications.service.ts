import { RegionScopeService } from '../../core/auth/region-scope.service';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../../core/auth/actor';
import { DEFAULT_LANGUAGE, Language, normaliseLanguage } from '../../core/i18n/i18n';
import { emailWanted, isNotificationKind, kindsForRole, NotificationKind, OPTIONAL_EMAIL_KINDS, renderNotification } from './notification-kinds.util';
import { NotificationMailer } from './notification-mailer';
import * as Q from './queries/notification.sql';

/** The mail template every notification uses: the title and body rendered in the recipient's language, and the link. */
export const NOTIFICATION_MAIL_TEMPLATE = 'notification';

/** A business event that tells people something. `key` names the event; each recipient gets it once, ever. */
export interface NotificationEvent {
  key: string;
  kind: NotificationKind;
  params: Record<string, unknown>;
  /** the page where the recipient acts (a path in the portal) */
  link: string;
  /** recipient users (inactive ones are skipped) */
  users?: number[];
  /** address-only recipients (an applicant has no user yet) */
  emails?: { to: string; lang?: Language | string | null }[];
}

export interface InboxRow { id: number; kind: string; title: string; body: string; link: string; createdAt: Date; readAt: Date | null }

/** Writes notifications in the caller's transaction, queues their email, and reads a user's inbox. */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly mailer: NotificationMailer, private readonly scope: RegionScopeService) {}

  /** Creates the event's notifications (and emails) inside the caller's transaction. Returns how many were new. */
  async notify(event: NotificationEvent, opts: { manager: EntityManager }): Promise<number> {
    const users = [...new Set(event.users ?? [])];
    const rows = users.map((userId) => ({ key: event.key, userId, params: event.params, link: event.link }));
    let created = await this.deliver(event.kind, rows, opts.manager);
    for (const e of event.emails ?? []) {
      const to = (e.to ?? '').trim();
      if (!to) continue;
      const inserted = await opts.manager.query(Q.INSERT_FOR_ADDRESS, [event.key, to, event.kind, JSON.stringify(event.params), event.link]);
      if (!inserted.length) continue;
      created++;
      const lang = normaliseLanguage(e.lang) ?? DEFAULT_LANGUAGE;
      await this.mailer.queue({ to, template: NOTIFICATION_MAIL_TEMPLATE, lang, params: this.mailParams(lang, event.kind, event.params, event.link), dedupeKey: `${event.key}:${to.toLowerCase()}` }, opts.manager);
    }
    return created;
  }

  /**
   * Many notifications of one kind at once (a statement for every partner of a batch): one insert; then email for the
   * rows written now, each in the recipient's language unless they switched the kind off.
   */
  async deliver(kind: NotificationKind, rows: { key: string; userId: number; params: Record<string, unknown>; link: string }[], m: EntityManager): Promise<number> {
    if (!rows.length) return 0;
    const inserted: { key: string; userId: number; params: Record<string, unknown>; link: string }[] =
      await m.query(Q.INSERT_FOR_USERS, [kind, JSON.stringify(rows.map((r) => ({ key: r.key, user_id: r.userId, params: r.params, link: r.link })))]);
    if (!inserted.length) return 0;
    const targets: { id: number; email: string; locale: string | null; off: boolean }[] = await m.query(Q.MAIL_TARGETS, [inserted.map((r) => r.userId), kind]);
    const byUser = new Map(targets.map((t) => [t.id, t]));
    for (const r of inserted) {
      const t = byUser.get(r.userId);
      if (!t || !emailWanted(kind, new Set(t.off ? [kind] : []))) continue;
      const lang = normaliseLanguage(t.locale) ?? DEFAULT_LANGUAGE;
      await this.mailer.queue({
        to: t.email, template: NOTIFICATION_MAIL_TEMPLATE, lang, userId: r.userId, dedupeKey: `${r.key}:${r.userId}`,
        params: this.mailParams(lang, kind, r.params, r.link),
      }, m);
    }
    return inserted.length;
  }

  /** The mail's params: title and body in the recipient's language (mail is read once, as sent), plus the link path. */
  private mailParams(lang: Language, kind: NotificationKind, params: Record<string, unknown>, link: string): Record<string, unknown> {
    return { ...renderNotification(lang, kind, params), kind, path: link };
  }

  // ---- recipients ------------------------------------------------------------------------------------------

  /** The active users of these partners, by partner. */
  async partnerUsers(partnerIds: number[], m: EntityManager = this.db.manager): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    if (!partnerIds.length) return out;
    for (const r of (await m.query(Q.USERS_OF_PARTNERS, [partnerIds])) as { id: number; partnerId: number }[]) {
      out.set(r.partnerId, [...(out.get(r.partnerId) ?? []), r.id]);
    }
    return out;
  }

  async usersOfPartner(partnerId: number, m?: EntityManager): Promise<number[]> {
    return (await this.partnerUsers([partnerId], m)).get(partnerId) ?? [];
  }

  async usersWithRoles(roles: Role[], m: EntityManager = this.db.manager): Promise<number[]> {
    return ((await m.query(Q.USERS_OF_ROLES, [roles])) as { id: number }[]).map((r) => r.id);
  }

  /**
   * The channel managers in charge of a partner: the province-level ones (no regions assigned) and those whose regions
   * hold the partner's region (#17, RegionScopeService). Without a partner (0): every active channel manager.
   */
  async managersInCharge(partnerId: number, m?: EntityManager): Promise<number[]> {
    if (!partnerId) return this.usersWithRoles(['channel_manager'], m);
    const [p] = await (m ?? this.db.manager).query(`SELECT region FROM partner WHERE id = $1`, [partnerId]);
    return (await this.scope.managersCovering([p?.region ?? null], m))[0];
  }

  // ---- the inbox -------------------------------------------------------------------------------------------

  async unreadCount(userId: number): Promise<number> {
    const [{ n }] = await this.db.query(Q.UNREAD_COUNT, [userId]);
    return n;
  }

  /** A page of the user's notifications, newest first, rendered in the reader's language. */
  async inbox(userId: number, lang: Language, page: { size: number; offset: number; unreadOnly?: boolean }): Promise<{ rows: InboxRow[]; total: number }> {
    const rows: (Omit<InboxRow, 'title' | 'body'> & { params: Record<string, unknown>; total: number })[] =
      await this.db.query(Q.INBOX_PAGE, [userId, !!page.unreadOnly, page.size, page.offset]);
    const total = rows.length ? rows[0].total : page.offset > 0 ? (await this.db.query(Q.INBOX_TOTAL, [userId, !!page.unreadOnly]))[0].n : 0;
    return {
      total,
      rows: rows.map((r) => ({ id: Number(r.id), kind: r.kind, link: r.link, createdAt: r.createdAt, readAt: r.readAt, ...renderNotification(lang, r.kind, r.params) })),
    };
  }

  /** Marks the user's own notification read and answers its link; someone else's is 404. */
  async open(userId: number, id: number): Promise<string> {
    if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundException('notifications:errors.notFound');
    const rows = await this.db.query(Q.OPEN_OWN, [id, userId]);
    const row = (Array.isArray(rows[0]) ? rows[0][0] : rows[0]) as { link: string } | undefined;
    if (!row) throw new NotFoundException('notifications:errors.notFound');
    return row.link || '/notifications';
  }

  async markAllRead(userId: number): Promise<void> {
    await this.db.query(Q.READ_ALL, [userId]);
  }

  // ---- email preferences -----------------------------------------------------------------------------------

  /** The kinds a user may switch email off for (those their role receives), with the current choice. */
  async preferences(userId: number, role?: Role): Promise<{ kind: NotificationKind; email: boolean }[]> {
    const off = new Set(((await this.db.query(`SELECT kind FROM notification_email_off WHERE user_id = $1`, [userId])) as { kind: string }[]).map((r) => r.kind));
    return (role ? kindsForRole(OPTIONAL_EMAIL_KINDS, role) : OPTIONAL_EMAIL_KINDS).map((kind) => ({ kind, email: !off.has(kind) }));
  }

  /** Saves the choice for the kinds offered to the user's role; money and deadline kinds are never offered (always mailed). */
  async savePreferences(userId: number, role: Role, emailOn: string[]): Promise<void> {
    const on = new Set(emailOn.filter(isNotificationKind));
    const offered = kindsForRole(OPTIONAL_EMAIL_KINDS, role);
    const off = offered.filter((k) => !on.has(k));
    await this.db.transaction(async (m) => {
      await m.query(`DELETE FROM notification_email_off WHERE user_id = $1 AND kind = ANY($2::varchar[])`, [userId, offered]);
      if (off.length) await m.query(`INSERT INTO notification_email_off (user_id, kind) SELECT $1, unnest($2::varchar[])`, [userId, off]);
    });
  }
}
