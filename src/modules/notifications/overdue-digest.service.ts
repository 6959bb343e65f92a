import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotificationsService } from './notifications.service';
import { OVERDUE_BY_PARTNER } from './queries/overdue-digest.sql';

/**
 * The daily overdue-duty digest: one notification per user and day, never one per item — each partner user hears
 * their partner's count, each channel manager the whole picture. Runs inside the daily alerts' transaction; a second
 * run on the same day adds nothing (the event key holds the date).
 */
@Injectable()
export class OverdueDigest {
  constructor(private readonly notifications: NotificationsService) {}

  async send(today: string, m: EntityManager): Promise<number> {
    const groups: { partnerId: number | null; count: number; earliestDue: string }[] = await m.query(OVERDUE_BY_PARTNER, [today]);
    if (!groups.length) return 0;
    const partnerGroups = groups.filter((g) => g.partnerId !== null);
    const users = await this.notifications.partnerUsers(partnerGroups.map((g) => g.partnerId!), m);
    const rows = partnerGroups.flatMap((g) => (users.get(g.partnerId!) ?? []).map((userId) => ({
      key: `duties.overdue:${today}:p${g.partnerId}`, userId, link: '/my/duties',
      params: { date: today, count: g.count, earliestDue: g.earliestDue },
    })));
    const total = groups.reduce((s, g) => s + g.count, 0);
    const earliestDue = groups.map((g) => g.earliestDue).sort()[0];
    const managers = await this.notifications.usersWithRoles(['channel_manager'], m);
    rows.push(...managers.map((userId) => ({
      key: `duties.overdue:${today}:staff`, userId, link: '/duties',
      params: { date: today, count: total, partners: partnerGroups.length, earliestDue },
    })));
    return this.notifications.deliver('duties.overdue', rows, m);
  }
}
