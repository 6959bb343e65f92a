import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { UsersService } from '../../core/auth/users.service';
import { isValidIsoDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { CustomersService } from '../customers/customers.service';
import { PartnersService } from '../partners/partners.service';
import { ViolationsService } from '../violations/violations.service';
import { ExitCollaborators } from './exit-collaborators';
import { AppConfig } from '../../core/config/app-config.service';
import { formatDateTime } from '../../core/i18n/format.util';
import { ExitProposal, Handover } from './exit.entities';
import { HandoverService } from './handover.service';
import { completionRefusal, Refusal } from './handover.util';
import { emitWebhookEvent } from '../integrations/webhook-events';

export interface CompleteInput { exitDate?: string; scoreY?: string; scoreReason?: string; overrideReason?: string }

/** Completing an exit and reading an exited partner's archive. */
@Injectable()
export class ExitCompletionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly customers: CustomersService,
    private readonly users: UsersService,
    private readonly violations: ViolationsService,
    private readonly handovers: HandoverService,
    private readonly collaborators: ExitCollaborators,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The partner may respond for EXIT_RESPONSE_DAYS after the proposal (#16): until then only an admin completes the
   * exit, with a reason (in the audit log).
   */
  private async assertResponseWindowClosed(actor: Actor, p: ExitProposal, overrideReason: string | undefined, m: EntityManager): Promise<void> {
    const until = new Date(new Date(p.proposedAt).getTime() + this.config.get('EXIT_RESPONSE_DAYS') * 86_400_000);
    if (Date.now() >= until.getTime()) return;
    if (actor.role !== 'admin' || !overrideReason?.trim()) throw new RuleViolation('money:exit.responseWindowOpen', 'overrideReason', { until: formatDateTime(until) });
    await this.audit.record(actor, { action: 'exit.response_window.override', entityType: 'exit_proposal', entityId: p.id, partnerId: p.partnerId, after: { windowEndsAt: until.toISOString() }, reason: overrideReason.trim() }, m);
  }

  /** Why the exit cannot complete now, or null. */
  async refusal(proposalId: number, exitDate = todayIso()): Promise<Refusal | null> {
    const p = await this.db.getRepository(ExitProposal).findOne({ where: { id: proposalId } });
    if (!p) throw new NotFoundException('exit:errors.proposalNotFound');
    if (p.status !== 'approved') return { message: 'exit:refusal.notApproved', params: { status: `exit:status.${p.status}` } };
    const h = await this.handovers.byProposal(proposalId);
    const held = (await this.customers.countCurrentByPartner([p.partnerId])).get(p.partnerId) ?? 0;
    return completionRefusal(h ? await this.handovers.board(h) : [], held, exitDate);
  }

  /**
   * One transaction: partner -> exited (the database trigger re-checks that no customer is held and no checklist is
   * open), its logins deactivated with their sessions revoked, and the final settlement run up to the exit date.
   */
  async complete(actor: Actor, proposalId: number, input: CompleteInput): Promise<{ batchId: number | null; usersDeactivated: number }> {
    const exitDate = input.exitDate?.trim() || todayIso();
    if (!isValidIsoDate(exitDate)) throw new RuleViolation('exit:errors.badExitDate', 'exitDate');
    if (exitDate > todayIso()) throw new RuleViolation('exit:errors.exitDateInFuture', 'exitDate');
    if (input.scoreY && !input.scoreReason?.trim()) throw new RuleViolation('exit:errors.scoreReasonRequired', 'scoreReason');
    const refusal = await this.refusal(proposalId, exitDate);
    if (refusal) throw new RuleViolation(refusal.message, undefined, refusal.params);
    return this.db.transaction(async (m) => {
      const p = await m.getRepository(ExitProposal).findOneOrFail({ where: { id: proposalId }, lock: { mode: 'pessimistic_write' } });
      if (p.status !== 'approved') throw new RuleViolation('exit:refusal.notApproved', undefined, { status: `exit:status.${p.status}` });
      await this.assertResponseWindowClosed(actor, p, input.overrideReason, m);
      const reason = `合作退出完成（退出提议 #${p.id}）`;
      await this.partners.transition(actor, p.partnerId, 'exited', { reason, effectiveOn: exitDate }, m);
      const usersDeactivated = await this.users.deactivatePartnerUsers(actor, p.partnerId, `合作已于 ${exitDate} 结束`, m);
      const batchId = await this.collaborators.runFinalSettlement(actor, p.partnerId, {
        exitDate, ...(input.scoreY ? { scoreY: input.scoreY } : {}), reason: input.scoreY ? input.scoreReason!.trim() : reason,
      }, m);
      const now = new Date();
      await m.getRepository(ExitProposal).update({ id: p.id }, { status: 'completed', exitDate, completedAt: now, completedBy: actor.id > 0 ? actor.id : null, finalSettlementBatchId: batchId });
      await m.getRepository(Handover).update({ proposalId: p.id }, { status: 'completed', completedAt: now });
      await this.audit.record(actor, { action: 'exit.complete', entityType: 'exit_proposal', entityId: p.id, partnerId: p.partnerId,
        after: { exitDate, usersDeactivated, finalSettlementBatchId: batchId, scoreY: input.scoreY ?? null }, reason: input.scoreReason ?? null }, m);
      await emitWebhookEvent(m, 'exit.completed', { proposalId: p.id, partnerId: p.partnerId, exitDate, finalSettlementBatchId: batchId });
      return { batchId, usersDeactivated };
    });
  }

  /** Everything about an exited (or exiting) partner that managers and finance keep reading after the exit. */
  async archive(proposalId: number) {
    const p = await this.db.getRepository(ExitProposal).findOne({ where: { id: proposalId } });
    if (!p) throw new NotFoundException('exit:errors.proposalNotFound');
    const partner = await this.partners.getById(p.partnerId);
    const h = await this.handovers.byProposal(p.id);
    return {
      proposal: p, partner,
      statusHistory: await this.partners.statusHistory(p.partnerId),
      proposals: await this.db.getRepository(ExitProposal).find({ where: { partnerId: p.partnerId }, order: { id: 'ASC' } }),
      handover: h, items: h ? await this.handovers.board(h) : [],
      violations: await this.violations.listForPartner(p.partnerId),
      users: await this.users.list({ partnerId: p.partnerId }),
      audit: await this.audit.forPartner(p.partnerId, 100),
      outstanding: await this.collaborators.outstandingFor(p.partnerId),
    };
  }
}
