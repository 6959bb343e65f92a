import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { maskAccount, mayReadBankAccount } from '../../core/privacy/bank-account.util';
import { RuleViolation } from '../../core/web/errors';
import { deciderRefusal } from '../settlement/money-controls.util';
import { PartnerDirectoryService } from './partner-directory.service';
import { NotificationsService } from '../notifications/notifications.service';

export interface BankChangeInput { bankName: string; bankAccountName: string; bankAccountNo: string; reason: string }
export interface PendingBankChange {
  id: number; partnerId: number; bankName: string; bankAccountName: string; bankAccountNo: string; reason: string;
  requestedBy: number | null; requestedByName: string | null; requestedAt: Date;
}

/**
 * Four eyes on where the money goes (#16): a bank-account change is requested (by the partner or staff) and takes
 * effect only when finance or an admin other than the requester approves it; the next batch flags the line.
 */
@Injectable()
export class BankChangeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly directory: PartnerDirectoryService,
    private readonly notifications: NotificationsService,
  ) {}

  /** The pending change as the actor may see it (404 for another partner's user; the account masked except for finance and the owner). */
  async pending(actor: Actor, partnerId: number): Promise<PendingBankChange | null> {
    await this.directory.detail(actor, partnerId);
    const [c] = await this.db.query(
      `SELECT c.id, c.partner_id AS "partnerId", c.bank_name AS "bankName", c.bank_account_name AS "bankAccountName", c.bank_account_no AS "bankAccountNo",
              c.reason, c.requested_by AS "requestedBy", coalesce(nullif(u.display_name, ''), u.username) AS "requestedByName", c.requested_at AS "requestedAt"
         FROM partner_bank_change c LEFT JOIN user_account u ON u.id = c.requested_by WHERE c.partner_id = $1 AND c.status = 'pending'`, [partnerId]);
    if (!c) return null;
    return { ...c, bankAccountNo: mayReadBankAccount(actor, partnerId) ? c.bankAccountNo : maskAccount(c.bankAccountNo) };
  }

  async request(actor: Actor, partnerId: number, input: BankChangeInput): Promise<number> {
    const p = await this.directory.detail(actor, partnerId); // 404 for another partner's user
    const no = (input.bankAccountNo ?? '').replace(/\s/g, '');
    if (!input.bankName?.trim()) throw new RuleViolation('money:bank.bankNameRequired', 'bankName');
    if (!input.bankAccountName?.trim()) throw new RuleViolation('money:bank.accountNameRequired', 'bankAccountName');
    if (!/^\d{8,32}$/.test(no)) throw new RuleViolation('money:bank.badAccountNo', 'bankAccountNo');
    if (!input.reason?.trim()) throw new RuleViolation('money:bank.reasonRequired', 'reason');
    return this.db.transaction(async (m) => {
      const [old] = await m.query(`SELECT bank_name, bank_account_name, bank_account_no FROM partner WHERE id = $1`, [partnerId]);
      const rows = await m.query(
        `INSERT INTO partner_bank_change (partner_id, bank_name, bank_account_name, bank_account_no, old_bank_name, old_account_name, old_account_no, reason, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (partner_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
        [partnerId, input.bankName.trim(), input.bankAccountName.trim(), no, old.bank_name, old.bank_account_name, old.bank_account_no, input.reason.trim(), actor.id > 0 ? actor.id : null]);
      if (!rows.length) throw new RuleViolation('money:bank.pendingExists', 'bankAccountNo', { code: p.code });
      await this.audit.record(actor, { action: 'partner.bank_change.request', entityType: 'partner_bank_change', entityId: rows[0].id, partnerId,
        after: { bankName: input.bankName.trim(), bankAccountNo: maskAccount(no) }, reason: input.reason.trim() }, m);
      // the finance users who may approve it (never the requester) are told, in the same transaction (#16)
      const me = actor.id > 0 ? actor.id : null;
      await this.notifications.notify({
        key: `bankChange.requested:${rows[0].id}`, kind: 'bankChange.requested', link: `/partners/${partnerId}`,
        params: { id: rows[0].id, code: p.code, name: p.name, reason: input.reason.trim() },
        users: (await this.notifications.usersWithRoles(['finance'], m)).filter((u) => u !== me),
      }, { manager: m });
      return rows[0].id as number;
    });
  }

  /** Finance or an admin, never the requester: approving writes the new account on the partner. */
  async decide(actor: Actor, partnerId: number, changeId: number, decision: 'approve' | 'reject', note: string, manager?: EntityManager): Promise<void> {
    const run = async (m: EntityManager) => {
      const [c] = await m.query(`SELECT * FROM partner_bank_change WHERE id = $1 AND partner_id = $2 FOR UPDATE`, [changeId, partnerId]);
      if (!c) throw new NotFoundException({ message: 'money:bank.notFound', params: { id: changeId } });
      if (c.status !== 'pending') throw new RuleViolation('money:bank.notPending', undefined, { id: changeId });
      const refusal = deciderRefusal(c.requested_by, actor.id > 0 ? actor.id : null);
      if (refusal) throw new RuleViolation(refusal, undefined, { id: changeId });
      if (decision === 'reject' && !note?.trim()) throw new RuleViolation('money:bank.reasonRequired', 'note');
      const status = decision === 'approve' ? 'approved' : 'rejected';
      await m.query(`UPDATE partner_bank_change SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4 WHERE id = $1`, [changeId, status, actor.id, note?.trim() || null]);
      if (status === 'approved') {
        await m.query(`UPDATE partner SET bank_name = $2, bank_account_name = $3, bank_account_no = $4, version = version + 1 WHERE id = $1`, [partnerId, c.bank_name, c.bank_account_name, c.bank_account_no]);
      }
      await this.audit.record(actor, { action: `partner.bank_change.${decision}`, entityType: 'partner_bank_change', entityId: changeId, partnerId,
        before: { bankName: c.old_bank_name, bankAccountNo: maskAccount(c.old_account_no) }, after: { status, bankName: c.bank_name, bankAccountNo: maskAccount(c.bank_account_no) }, reason: note?.trim() || null }, m);
    };
    await (manager ? run(manager) : this.db.transaction(run));
  }
}
