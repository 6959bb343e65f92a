import { NotificationsService } from '../../src/modules/notifications/notifications.service';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { notificationPeople, outboxOf } from './helpers';

/** The inbox: own notifications only (404 otherwise), texts in the reader's language at read time, bell, preferences. */
describe('notifications: inbox, bell, preferences', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof notificationPeople>>;
  let a1: Session; let a2: Session; let b1: Session;
  let ids: { a1: number; a2: number; b1: number };

  const notify = (key: string, users: number[], kind: 'violation.recorded' | 'inquiry.answered' | 'statement.paid' = 'violation.recorded', params: Record<string, unknown> = { id: 7, kindName: 'violations:kind.missing_service', severity: 'violations:severity.minor', deadline: '2026-12-05' }) =>
    t.db.transaction((m) => t.get(NotificationsService).notify({ key, kind, params, link: '/my/violations/7', users }, { manager: m }));

  beforeAll(async () => {
    // no workers: the mails queued here are asserted in the outbox, not sent (events.int-spec sends them)
    t = await createTestApp({ JOBS_ENABLED: 'false' });
    t.lang = 'zh-CN';
    people = await notificationPeople(t);
    await notify('test.violation:1', [people.a1.id, people.a2.id, people.b1.id]);
    const rows: { id: string; uid: number }[] = await t.db.query(`SELECT id, recipient_user_id AS uid FROM notification WHERE event_key = 'test.violation:1'`);
    const idOf = (uid: number) => Number(rows.find((r) => r.uid === uid)!.id);
    ids = { a1: idOf(people.a1.id), a2: idOf(people.a2.id), b1: idOf(people.b1.id) };
    a1 = await t.login(people.a1.username);
    a2 = await t.login(people.a2.username);
    b1 = await t.login(people.b1.username);
  });
  afterAll(() => t?.close());

  it('shows the bell with the unread count and the list in the reader\'s language (zh-CN by default, en by preference)', async () => {
    const zh = await a1.get('/notifications').expect(200);
    expect(zh.text).toContain('<span class="bell-count">1</span>');
    expect(zh.text).toContain('违规记录 #7：未履行服务职责');
    expect(zh.text).toContain('请在 2026-12-05 前提交申辩');
    expect(zh.text).toContain('class="inbox-item unread"');
    const en = await a2.get('/notifications').expect(200);
    expect(en.text).toContain('Violation #7: Missing required service');
    const home = await a1.get('/').expect(200);
    expect(home.text).toContain('aria-label="通知：1 条未读"');
    // the bell is for signed-in users only
    expect((await t.anonymous('zh-CN').get('/login')).text).not.toContain('class="bell');
  });

  it('re-renders stored notifications when the reader switches language', async () => {
    await t.db.query(`UPDATE user_account SET locale = 'en' WHERE id = $1`, [people.a1.id]);
    const body = (await a1.getJson('/api/notifications').expect(200)).body;
    expect(body.items[0]).toMatchObject({ title: 'Violation #7: Missing required service', link: '/my/violations/7' });
    await t.db.query(`UPDATE user_account SET locale = NULL WHERE id = $1`, [people.a1.id]);
    expect((await a1.getJson('/api/notifications').expect(200)).body.items[0].title).toBe('违规记录 #7：未履行服务职责');
  });

  it('another user cannot open or mark someone else\'s notification (404), and nothing changes', async () => {
    await b1.get(`/notifications/${ids.a1}/open`).expect(404);
    await b1.post(`/api/notifications/${ids.a1}/read`).expect(404);
    await a2.get(`/notifications/${ids.a1}/open`).expect(404); // same partner, still not theirs
    const [row] = await t.db.query(`SELECT read_at FROM notification WHERE id = $1`, [ids.a1]);
    expect(row.read_at).toBeNull();
    expect((await b1.getJson('/api/notifications').expect(200)).body.items.map((i: { id: number }) => i.id)).toEqual([ids.b1]);
  });

  it('following a notification marks it read and goes to its page; mark all read empties the bell', async () => {
    const res = await a1.get(`/notifications/${ids.a1}/open`).expect(303);
    expect(res.headers.location).toBe('/my/violations/7');
    expect((await a1.getJson('/api/notifications').expect(200)).body.unread).toBe(0);
    expect((await a1.get('/notifications').expect(200)).text).not.toContain('bell-count');

    await notify('test.violation:2', [people.b1.id]);
    expect((await b1.getJson('/api/notifications').expect(200)).body.unread).toBe(2);
    await b1.postForm('/notifications/read-all', {}).expect(303);
    expect((await b1.getJson('/api/notifications').expect(200)).body.unread).toBe(0);
    // a2's notification is untouched by b1's "mark all read"
    expect((await a2.getJson('/api/notifications').expect(200)).body.unread).toBe(1);
  });

  it('email can be switched off per kind, except money and deadline kinds', async () => {
    const page = await a1.get('/notifications/settings').expect(200);
    expect(page.text).toContain('value="inquiry.answered"');
    expect(page.text).not.toContain('value="statement.paid"');
    expect(page.text).not.toContain('value="batch.awaitingApproval"'); // only the kinds a partner receives
    // everything optional switched off; a posted money kind is ignored
    await a1.postForm('/notifications/settings', { email: 'statement.paid' }).expect(303);
    const prefs = await t.get(NotificationsService).preferences(people.a1.id, 'partner');
    expect(prefs.map((p) => p.kind)).toContain('inquiry.answered');
    expect(prefs.every((p) => !p.email)).toBe(true);

    await notify('test.inquiry:1', [people.a1.id, people.a2.id], 'inquiry.answered', { id: 1, period: '2026Q2', amount: '10.00', status: 'settlement:inquiryStatus.accepted' });
    await notify('test.paid:1', [people.a1.id], 'statement.paid', { batchId: 1, period: '2026Q2', amount: '10.00', reference: 'R-1' });
    expect((await outboxOf(t.db, 'test.inquiry:1:%')).map((m) => m.userId)).toEqual([people.a2.id]);
    expect((await outboxOf(t.db, 'test.paid:1:%')).map((m) => m.userId)).toEqual([people.a1.id]);
    // in-app notifications are written whatever the email choice
    expect((await a1.getJson('/api/notifications').expect(200)).body.unread).toBe(2);
  });

  it('pages the inbox newest first', async () => {
    for (let i = 0; i < 23; i++) await notify(`test.many:${i}`, [people.a2.id]);
    const p1 = (await a2.getJson('/api/notifications').expect(200)).body;
    expect(p1).toMatchObject({ total: 25, pageSize: 20 }); // 23 + the violation and the inquiry above
    expect(p1.items).toHaveLength(20);
    const p2 = (await a2.getJson('/api/notifications?page=2').expect(200)).body;
    expect(p2.items).toHaveLength(5);
    expect(p2.items[4].id).toBe(ids.a2); // the oldest last
    expect((await a2.get('/notifications?page=2').expect(200)).text).toContain('Page 2 of 2, 25 in all');
  });
});
