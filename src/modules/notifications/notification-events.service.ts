import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { kindNameRef } from '../violations/violation-labels';
import { NotificationKind } from './notification-kinds.util';
import { NotificationsService } from './notifications.service';

/**
 * The business events that tell people something, one method each. Business services call one of these inside the
 * transaction of the change (so a notification exists exactly when the change commits); each method finds its
 * recipients and params itself. Event keys name the event once, so a repeated call never notifies twice.
 */
@Injectable()
export class NotificationEvents {
  constructor(private readonly notifications: NotificationsService) {}

  /** A new application: the applicant hears it arrived (email only); a public one also asks the managers to review. */
  async applicationReceived(applicationId: number, channel: string, m: EntityManager): Promise<void> {
    const a = await this.application(applicationId, m);
    if (!a) return;
    const params = { name: a.name, code: a.code };
    await this.notifications.notify({ key: `application.received:${applicationId}`, kind: 'application.received', params, link: '', emails: [{ to: a.email }] }, { manager: m });
    if (channel !== 'public') return;
    await this.notifications.notify({
      key: `application.submitted:${applicationId}`, kind: 'application.submitted', params, link: `/onboarding/applications/${applicationId}`,
      users: await this.notifications.managersInCharge(a.partnerId, m),
    }, { manager: m });
  }

  /** The decision on an application, to the applicant's address. */
  async applicationDecided(applicationId: number, decision: 'approved' | 'rejected', reason: string, m: EntityManager): Promise<void> {
    const a = await this.application(applicationId, m);
    if (!a) return;
    const kind: NotificationKind = decision === 'approved' ? 'application.approved' : 'application.rejected';
    await this.notifications.notify({ key: `${kind}:${applicationId}`, kind, params: { name: a.name, code: a.code, reason }, link: '', emails: [{ to: a.email }] }, { manager: m });
  }

  /** A violation recorded against a partner: its users, with the response deadline. */
  async violationRecorded(violationId: number, m: EntityManager): Promise<void> {
    const [v] = await m.query(
      `SELECT v.id, v.partner_id AS "partnerId", v.response_due_on::text AS deadline, v.severity, k.code, k.name
         FROM violation v JOIN violation_kind k ON k.id = v.kind_id WHERE v.id = $1`, [violationId]);
    if (!v) return;
    await this.notifications.notify({
      key: `violation.recorded:${violationId}`, kind: 'violation.recorded', link: `/my/violations/${violationId}`,
      params: { id: violationId, kindName: kindNameRef(v.code, v.name), severity: `violations:severity.${v.severity}`, deadline: v.deadline },
      users: await this.notifications.usersOfPartner(v.partnerId, m),
    }, { manager: m });
  }

  /** A score sheet submitted: the partner's dispute window opens now and ends at the deadline. */
  async scoreSubmitted(sheetId: number, m: EntityManager): Promise<void> {
    const s = await this.sheet(sheetId, m);
    if (!s) return;
    await this.notifications.notify({
      key: `score.submitted:${sheetId}:${s.submittedAt}`, kind: 'score.submitted', link: `/my/scores/${sheetId}`,
      params: { period: s.period, scoreY: s.scoreY, windowEnd: s.deadline }, users: await this.notifications.usersOfPartner(s.partnerId, m),
    }, { manager: m });
  }

  /** The partner's dispute was answered (score adjusted or dispute rejected). */
  async disputeResolved(sheetId: number, resolution: 'adjust' | 'reject', m: EntityManager): Promise<void> {
    const s = await this.sheet(sheetId, m);
    if (!s) return;
    const [d] = await m.query(`SELECT max(id) AS id FROM score_dispute WHERE sheet_id = $1`, [sheetId]);
    await this.notifications.notify({
      key: `score.disputeResolved:${sheetId}:${d?.id ?? 0}`, kind: 'score.disputeResolved', link: `/my/scores/${sheetId}`,
      params: { period: s.period, scoreY: s.scoreY, resolution: `scoring:resolution.${resolution}` }, users: await this.notifications.usersOfPartner(s.partnerId, m),
    }, { manager: m });
  }

  /** A batch approved: every partner in it has a statement ready, with their amount. */
  async statementsReady(batchId: number, m: EntityManager): Promise<void> {
    await this.perPartnerOfBatch(batchId, 'statement.ready', m);
  }

  /** A batch paid: every partner in it hears the amount and the payment reference. */
  async statementsPaid(batchId: number, m: EntityManager): Promise<void> {
    await this.perPartnerOfBatch(batchId, 'statement.paid', m);
  }

  private async perPartnerOfBatch(batchId: number, kind: 'statement.ready' | 'statement.paid', m: EntityManager): Promise<void> {
    const lines: { partnerId: number; amount: string; period: string; reference: string | null; paidOn: Date | null }[] = await m.query(
      `SELECT l.partner_id AS "partnerId", l.total_pay::text AS amount, b.period, coalesce(l.payment_reference, b.paid_comment) AS reference, coalesce(l.paid_on::timestamptz, b.paid_at) AS "paidOn"
         FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id WHERE l.batch_id = $1`, [batchId]);
    const users = await this.notifications.partnerUsers(lines.map((l) => l.partnerId), m);
    const rows = lines.flatMap((l) => (users.get(l.partnerId) ?? []).map((userId) => ({
      key: `${kind}:${batchId}:${l.partnerId}`, userId, link: `/my/statements/${l.period}`,
      params: { batchId, period: l.period, amount: l.amount, ...(kind === 'statement.paid' ? { reference: l.reference ?? '', paidOn: l.paidOn } : {}) },
    })));
    await this.notifications.deliver(kind, rows, m);
  }

  /** Finance answered a partner's inquiry about a statement line. */
  async inquiryAnswered(inquiryId: number, m: EntityManager): Promise<void> {
    const [q] = await m.query(
      `SELECT q.partner_id AS "partnerId", q.status, q.amount::text AS amount, b.period
         FROM settlement_inquiry q JOIN settlement_batch b ON b.id = q.batch_id WHERE q.id = $1`, [inquiryId]);
    if (!q) return;
    await this.notifications.notify({
      key: `inquiry.answered:${inquiryId}`, kind: 'inquiry.answered', link: `/my/statements/${q.period}`,
      params: { id: inquiryId, period: q.period, amount: q.amount, status: `settlement:inquiryStatus.${q.status}` },
      users: await this.notifications.usersOfPartner(q.partnerId, m),
    }, { manager: m });
  }

  /** A draft batch waits for approval: the finance approvers other than the one who computed it. */
  async batchAwaitingApproval(batchId: number, m: EntityManager): Promise<void> {
    const [b] = await m.query(`SELECT id, period, kind, total_pay::text AS amount, line_count AS lines, coalesce(computed_by, created_by) AS "makerId", computed_at AS "computedAt" FROM settlement_batch WHERE id = $1 AND status = 'draft'`, [batchId]);
    if (!b) return;
    const users = (await this.notifications.usersWithRoles(['finance'], m)).filter((id) => id !== b.makerId);
    // a recomputed draft asks again (its figures changed)
    await this.notifications.notify({
      key: `batch.awaitingApproval:${batchId}:${new Date(b.computedAt).getTime()}`, kind: 'batch.awaitingApproval', link: `/settlement/batches/${batchId}`,
      params: { batchId, period: b.period, batchKind: `settlement:batchKind.${b.kind}`, amount: b.amount, lines: b.lines }, users,
    }, { manager: m });
  }

  /** Exit proposed: the partner's users, and the managers and admins who decide. */
  async exitProposed(proposalId: number, m: EntityManager): Promise<void> {
    await this.exitEvent(proposalId, 'exit.proposed', m);
  }

  /** Exit approved: the partner's users (handover starts) and the managers. */
  async exitApproved(proposalId: number, m: EntityManager): Promise<void> {
    await this.exitEvent(proposalId, 'exit.approved', m);
  }

  private async exitEvent(proposalId: number, kind: 'exit.proposed' | 'exit.approved', m: EntityManager): Promise<void> {
    const [p] = await m.query(`SELECT e.partner_id AS "partnerId", e.trigger, p.code, p.name FROM exit_proposal e JOIN partner p ON p.id = e.partner_id WHERE e.id = $1`, [proposalId]);
    if (!p) return;
    const params = { id: proposalId, code: p.code, name: p.name, trigger: `exit:trigger.${p.trigger}` };
    await this.notifications.notify({ key: `${kind}:${proposalId}`, kind, params, link: '/my/exit', users: await this.notifications.usersOfPartner(p.partnerId, m) }, { manager: m });
    const staff = kind === 'exit.proposed' ? await this.notifications.usersWithRoles(['channel_manager', 'admin'], m) : await this.notifications.managersInCharge(p.partnerId, m);
    await this.notifications.notify({ key: `${kind}:${proposalId}:staff`, kind, params, link: `/exits/${proposalId}`, users: staff }, { manager: m });
  }

  /** A customer of an exiting partner handed over: the receiving partner's users (or the receiving manager). */
  async handoverAssigned(itemId: number, m: EntityManager): Promise<void> {
    const [i] = await m.query(
      `SELECT i.receiving_partner_id AS "partnerId", i.receiving_manager_user_id AS "managerId", i.effective_on::text AS "effectiveOn",
              c.code, c.name, h.proposal_id AS "proposalId"
         FROM handover_item i JOIN handover h ON h.id = i.handover_id JOIN customer c ON c.id = i.customer_id WHERE i.id = $1`, [itemId]);
    if (!i || (!i.partnerId && !i.managerId)) return;
    const users = i.partnerId ? await this.notifications.usersOfPartner(i.partnerId, m) : [i.managerId];
    await this.notifications.notify({
      key: `handover.assigned:${itemId}`, kind: 'handover.assigned', link: i.partnerId ? '/my/exit' : `/exits/${i.proposalId}/handover`,
      params: { customerCode: i.code, customerName: i.name, effectiveOn: i.effectiveOn }, users,
    }, { manager: m });
  }

  /** A long import finished or failed: the person who started it (the job runner calls this in its own transaction). */
  async importFinished(input: { jobId: string; userId: number; what: string; ok: boolean; rows?: number; error?: string; link?: string }, m: EntityManager): Promise<void> {
    const kind: NotificationKind = input.ok ? 'import.finished' : 'import.failed';
    await this.notifications.notify({
      key: `${kind}:${input.jobId}`, kind, link: input.link ?? `/jobs/${input.jobId}`,
      params: { what: input.what, rows: input.rows ?? 0, error: (input.error ?? '').slice(0, 500) }, users: input.userId > 0 ? [input.userId] : [],
    }, { manager: m });
  }

  private async application(id: number, m: EntityManager): Promise<{ partnerId: number; name: string; code: string; email: string } | undefined> {
    const [a] = await m.query(`SELECT a.partner_id AS "partnerId", p.name, p.code, p.contact_email AS email FROM onboarding_application a JOIN partner p ON p.id = a.partner_id WHERE a.id = $1`, [id]);
    return a;
  }

  private async sheet(id: number, m: EntityManager): Promise<{ partnerId: number; period: string; scoreY: string; deadline: Date; submittedAt: number } | undefined> {
    const [s] = await m.query(`SELECT partner_id AS "partnerId", period, score_y::text AS "scoreY", dispute_deadline AS deadline, submitted_at AS "submittedAt" FROM score_sheet WHERE id = $1`, [id]);
    return s ? { ...s, submittedAt: s.submittedAt ? new Date(s.submittedAt).getTime() : 0 } : undefined;
  }
}
