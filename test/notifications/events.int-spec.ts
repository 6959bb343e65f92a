import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { MailService } from '../../src/core/mail/mail.service';
import { todayIso } from '../../src/core/period/period.util';
import { DutiesService } from '../../src/modules/duties/duties.service';
import { ExitService } from '../../src/modules/exit/exit.service';
import { NotificationEvents } from '../../src/modules/notifications/notification-events.service';
import { ApplicationsService } from '../../src/modules/onboarding/applications.service';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { ViolationsService } from '../../src/modules/violations/violations.service';
import { SmtpSink } from '../auth/smtp-sink';
import { createTestApp, TestApp, testCreditCode } from '../support/test-app';
import { notificationPeople, notificationsOf, outboxOf } from './helpers';
import { payWithoutInvoices } from '../settlement/helpers';

/**
 * Each business event notifies the right people — the partner's own users, never another partner's; the staff in
 * charge — exactly once, with the email queued in the same transaction (dedupe key <event>:<user>) in the reader's
 * language, and sent over real SMTP.
 */
describe('notifications: events, recipients, email', () => {
  let t: TestApp;
  const sink = new SmtpSink();
  let people: Awaited<ReturnType<typeof notificationPeople>>;
  const events = () => t.get(NotificationEvents);
  const recipients = (rows: { recipientUserId: number | null }[]) => rows.map((r) => r.recipientUserId).sort((x, y) => x! - y!);

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ SMTP_URL: sink.url, JOBS_ENABLED: 'false', PUBLIC_URL: 'https://portal.example.cn' });
    people = await notificationPeople(t);
  });
  afterAll(async () => { await t?.close(); await sink.stop(); });

  it('a violation tells the partner\'s users (not another partner\'s) its response deadline, once, by email in each reader\'s language', async () => {
    const { partnerA, a1, a2, b1, manager } = people;
    const [kind] = await t.db.query(`SELECT id FROM violation_kind WHERE code = 'missing_service'`);
    const v = await t.get(ViolationsService).record({ ...SYSTEM_ACTOR, id: manager.id, role: 'channel_manager' }, { partnerId: partnerA.id, kindId: kind.id, occurredOn: todayIso(), description: '未按期回访' });
    const rows = await notificationsOf(t.db, 'violation.recorded');
    expect(recipients(rows)).toEqual([a1.id, a2.id].sort((x, y) => x - y));
    expect(rows.some((r) => r.recipientUserId === b1.id)).toBe(false);
    expect(rows[0].link).toBe(`/my/violations/${v.id}`);
    expect(rows[0].params.deadline).toBe(v.responseDueOn);

    // the event's code running again (a retried job, a replay) notifies nobody twice
    await t.db.transaction((m) => events().violationRecorded(v.id, m));
    expect(await notificationsOf(t.db, 'violation.recorded')).toHaveLength(2);

    const mails = await outboxOf(t.db, `violation.recorded:${v.id}:%`);
    expect(mails.map((m) => [m.dedupeKey, m.toAddress, m.lang]).sort()).toEqual([
      [`violation.recorded:${v.id}:${a1.id}`, `${a1.username}@example.cn`, 'zh-CN'],
      [`violation.recorded:${v.id}:${a2.id}`, `${a2.username}@example.cn`, 'en'],
    ].sort());
    for (const m of mails) await t.get(MailService).deliver(Number(m.id));
    const got = await sink.waitFor(2);
    const zh = got.find((g) => g.to.includes(`${a1.username}@example.cn`))!;
    const en = got.find((g) => g.to.includes(`${a2.username}@example.cn`))!;
    expect(zh.subject).toBe(`违规记录 #${v.id}：未履行服务职责`);
    expect(zh.text).toContain(`请在 ${v.responseDueOn} 前提交申辩`);
    expect(zh.text).toContain(`https://portal.example.cn/my/violations/${v.id}`);
    expect(en.subject).toBe(`Violation #${v.id}: Missing required service`);
    expect(en.html).toContain(`href="https://portal.example.cn/my/violations/${v.id}"`);
  });

  it('the daily overdue digest is one notification per user and day, whatever the number of items', async () => {
    const { partnerA, partnerB, a1, a2, b1, manager, finance1 } = people;
    const [tpl] = await t.db.query(`SELECT id, stage FROM duty_template ORDER BY id LIMIT 1`);
    let n = 0;
    const overdue = async (partnerId: number) => {
      const [c] = await t.db.query(`INSERT INTO customer (code, name, customer_class, stage) VALUES ($1, $1, 'B', $2) RETURNING id`, [`NC-${++n}`, tpl.stage]);
      await t.db.query(`INSERT INTO checklist_item (period, customer_id, duty_template_id, stage, partner_id, required_count, due_date) VALUES ('2026Q1', $1, $2, $3, $4, 1, '2026-03-31')`, [c.id, tpl.id, tpl.stage, partnerId]);
    };
    await overdue(partnerA.id); await overdue(partnerA.id); await overdue(partnerB.id);
    const today = todayIso();
    await t.get(DutiesService).raiseOverdueAlerts(SYSTEM_ACTOR, today);
    await t.get(DutiesService).raiseOverdueAlerts(SYSTEM_ACTOR, today);
    const rows = await notificationsOf(t.db, 'duties.overdue');
    const of = (id: number) => rows.filter((r) => r.recipientUserId === id);
    for (const u of [a1, a2, b1, manager]) expect(of(u.id)).toHaveLength(1);
    expect(of(finance1.id)).toHaveLength(0);
    expect(of(a1.id)[0].params).toMatchObject({ count: 2, earliestDue: '2026-03-31' });
    expect(of(b1.id)[0].params).toMatchObject({ count: 1 });
    expect(of(manager.id)[0]).toMatchObject({ link: '/duties', params: { count: 3, partners: 2 } });
    expect(of(a1.id)[0].link).toBe('/my/duties');
    expect(await outboxOf(t.db, `duties.overdue:${today}:p${partnerA.id}:${a1.id}`)).toHaveLength(1);
  });

  it('a batch approved and paid tells each partner its own amount and the payment reference', async () => {
    const { partnerA, partnerB, a1, b1, finance1, finance2 } = people;
    const [b] = await t.db.query(`INSERT INTO settlement_batch (period, kind, formula_version, created_by) VALUES ('2026Q2', 'regular', 'v1', $1) RETURNING id`, [finance1.id]);
    const line = (partnerId: number, pay: string) => t.db.query(
      `INSERT INTO settlement_line (batch_id, partner_id, accrual_count, accrued, coefficient_p, base_pay, quality_pay, adjustments, total_formula, total_pay, carry_forward, formula_version)
       VALUES ($1, $2, 1, $3, 1, $3, 0, 0, $3, $3, 0, 'v1')`, [b.id, partnerId, pay]);
    await line(partnerA.id, '1234.50'); await line(partnerB.id, '99.00');

    await t.db.transaction((m) => events().batchAwaitingApproval(b.id, m));
    expect(recipients(await notificationsOf(t.db, 'batch.awaitingApproval'))).toEqual([finance2.id]); // not its maker

    const batches = t.get(SettlementBatchService);
    const fin = { ...SYSTEM_ACTOR, id: finance2.id, role: 'finance' as const };
    await batches.approve(fin, b.id, '核对无误');
    const ready = await notificationsOf(t.db, 'statement.ready');
    expect(ready.find((r) => r.recipientUserId === a1.id)).toMatchObject({ link: '/my/statements/2026Q2', params: { amount: '1234.50', period: '2026Q2' } });
    expect(ready.find((r) => r.recipientUserId === b1.id)?.params.amount).toBe('99.00');
    await batches.export(fin, b.id);
    await payWithoutInvoices(t, b.id);
    await batches.markPaid(fin, b.id, 'PAY-REF-001');
    const paid = await notificationsOf(t.db, 'statement.paid');
    expect(paid.find((r) => r.recipientUserId === a1.id)?.params).toMatchObject({ amount: '1234.50', reference: 'PAY-REF-001' });
    const [mail] = await outboxOf(t.db, `statement.paid:${b.id}:${partnerA.id}:${a1.id}`);
    expect(mail.params.title).toBe('2026Q2 酬金已付款：¥1,234.50');
    expect(mail.params.body).toContain('PAY-REF-001');
  });

  it('an application: received and decided go to the applicant\'s address only; a public one asks the managers to review', async () => {
    const { manager } = people;
    const { application: app } = await t.get(ApplicationsService).apply({ ...SYSTEM_ACTOR, id: 0, role: 'partner' }, {
      name: '贵州测试通信服务有限公司', creditCode: testCreditCode(90001), contactName: '张三', contactPhone: '13800000000', contactEmail: 'applicant@example.cn',
      region: '贵阳市', cooperationType: 'sales',
    }, 'public');
    const received = await notificationsOf(t.db, 'application.received');
    expect(received).toEqual([expect.objectContaining({ recipientUserId: null, recipientEmail: 'applicant@example.cn' })]);
    expect(await outboxOf(t.db, `application.received:${app.id}:applicant@example.cn`)).toHaveLength(1);
    expect(recipients(await notificationsOf(t.db, 'application.submitted'))).toEqual([manager.id]);
    await t.db.transaction((m) => events().applicationDecided(app.id, 'rejected', '资质不全', m));
    const [mail] = await outboxOf(t.db, `application.rejected:${app.id}:%`);
    expect(mail).toMatchObject({ toAddress: 'applicant@example.cn', lang: 'zh-CN' });
    expect(mail.params.body).toContain('资质不全');
  });

  it('score sheet submitted and dispute resolved go to the partner\'s users with the window\'s end', async () => {
    const { partnerA, a1, b1 } = people;
    await t.db.query(`INSERT INTO scoring_period (period, scheme_id) SELECT '2026Q2', id FROM scoring_scheme ORDER BY id LIMIT 1`);
    const [s] = await t.db.query(
      `INSERT INTO score_sheet (period, partner_id, scheme_id, status, score_y, submitted_at, dispute_deadline)
       SELECT '2026Q2', $1, scheme_id, 'submitted', 88.5, now(), now() + interval '7 days' FROM scoring_period WHERE period = '2026Q2' RETURNING id, dispute_deadline`, [partnerA.id]);
    await t.db.transaction((m) => events().scoreSubmitted(s.id, m));
    await t.db.transaction((m) => events().disputeResolved(s.id, 'reject', m));
    const submitted = await notificationsOf(t.db, 'score.submitted');
    expect(submitted.map((r) => r.recipientUserId)).toContain(a1.id);
    expect(submitted.map((r) => r.recipientUserId)).not.toContain(b1.id);
    expect(submitted[0].link).toBe(`/my/scores/${s.id}`);
    expect(new Date(submitted[0].params.windowEnd as string).getTime()).toBe(new Date(s.dispute_deadline).getTime());
    expect((await notificationsOf(t.db, 'score.disputeResolved')).map((r) => r.recipientUserId)).toContain(a1.id);
  });

  it('exit proposed / approved and a handover item reach the partner, the deciders and the receiving partner', async () => {
    const { partnerA, partnerB, a1, b1, manager, admin } = people;
    const exits = t.get(ExitService);
    const proposal = await exits.requestVoluntary({ ...SYSTEM_ACTOR, id: a1.id, role: 'partner', partnerId: partnerA.id }, '业务调整，主动退出');
    const proposed = await notificationsOf(t.db, 'exit.proposed');
    expect(recipients(proposed)).toEqual(expect.arrayContaining([a1.id, manager.id, admin.id]));
    expect(recipients(proposed)).not.toContain(b1.id);
    expect(proposed.find((r) => r.recipientUserId === manager.id)?.link).toBe(`/exits/${proposal.id}`);
    await exits.approve({ ...SYSTEM_ACTOR, id: admin.id }, proposal.id, '同意');
    expect(recipients(await notificationsOf(t.db, 'exit.approved'))).toEqual(expect.arrayContaining([a1.id, manager.id]));

    const [h] = await t.db.query(`SELECT id FROM handover WHERE proposal_id = $1`, [proposal.id]);
    const [c] = await t.db.query(`INSERT INTO customer (code, name, customer_class, stage) VALUES ('HC-1', '移交客户', 'A', 'maturity') RETURNING id`);
    const [item] = await t.db.query(`INSERT INTO handover_item (handover_id, customer_id, receiving_partner_id, effective_on) VALUES ($1, $2, $3, '2026-12-01') RETURNING id`, [h.id, c.id, partnerB.id]);
    await t.db.transaction((m) => events().handoverAssigned(item.id, m));
    const handed = await notificationsOf(t.db, 'handover.assigned');
    expect(recipients(handed)).toEqual([b1.id]);
    expect(handed[0]).toMatchObject({ link: '/my/exit', params: { customerCode: 'HC-1', effectiveOn: '2026-12-01' } });
  });

  it('an import finished or failed tells the person who started it, with a link to the job', async () => {
    const { finance1 } = people;
    await t.db.transaction((m) => events().importFinished({ jobId: 'job-1', userId: finance1.id, what: '应计酬金 2026Q3', ok: true, rows: 1200 }, m));
    await t.db.transaction((m) => events().importFinished({ jobId: 'job-2', userId: finance1.id, what: '应计酬金 2026Q3', ok: false, error: '第 3 行，列 amount：不是金额' }, m));
    expect(await notificationsOf(t.db, 'import.finished')).toEqual([expect.objectContaining({ recipientUserId: finance1.id, link: '/jobs/job-1' })]);
    const [failed] = await notificationsOf(t.db, 'import.failed');
    expect(failed).toMatchObject({ recipientUserId: finance1.id, link: '/jobs/job-2', params: { error: '第 3 行，列 amount：不是金额' } });
    expect(await outboxOf(t.db, `import.failed:job-2:${finance1.id}`)).toHaveLength(1);
  });
});
