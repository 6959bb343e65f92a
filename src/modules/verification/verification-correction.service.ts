import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { RuleViolation } from '../../core/web/errors';
import { DutiesService } from '../duties/duties.service';
import { checkOutcome, DecisionResult, OutcomeInput, VerificationService } from './verification.service';

/**
 * A decided outcome corrected — a wrong choice, a customer who called back — with a reason, audited. To "not
 * confirmed": as a decision, the record's duty ticks are taken back (held while the quarter is locked) and the partner
 * is told. To confirmed: the ticks it took back are given back; in a locked quarter that is refused, its counts being
 * final. The method and note can be corrected with the outcome unchanged.
 */
@Injectable()
export class VerificationCorrectionService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly verification: VerificationService,
    private readonly duties: DutiesService, private readonly audit: AuditService) {}

  async correct(actor: Actor, id: number, input: OutcomeInput & { reason?: unknown }): Promise<DecisionResult> {
    const { outcome, method, note } = checkOutcome(input);
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (!reason) throw new RuleViolation('verification:errors.correctionReason', 'reason');
    if (reason.length > 500) throw new RuleViolation('verification:errors.correctionReasonLength', 'reason');
    return this.db.transaction(async (m) => {
      const item = await this.verification.get(actor, id, m, true);
      if (item.status === 'pending') throw new RuleViolation('verification:errors.notDecided', 'outcome', { id });
      const locked = await this.duties.isQuarterLocked(item.period, m);
      let unticked = outcome === 'not_confirmed' ? item.itemsUnticked ?? 0 : 0;
      let held = outcome === 'not_confirmed' ? !!item.quarterLocked : false;
      if (outcome !== item.status) {
        if (outcome === 'not_confirmed') {
          held = locked;
          unticked = locked ? 0 : await this.verification.changeTicks(item, m, actor);
        } else if (item.itemsUnticked) {
          if (locked) throw new RuleViolation('verification:errors.lockedCorrection', 'outcome', { period: item.period });
          await this.verification.changeTicks(item, m, actor, true);
        }
      }
      await m.query(
        `UPDATE verification_item SET status = $2, method = $3, note = $4, items_unticked = $5, quarter_locked = $6, verified_at = now(), verified_by = $7 WHERE id = $1`,
        [id, outcome, method, note || null, outcome === 'not_confirmed' ? unticked : null, outcome === 'not_confirmed' ? held : null, actor.id > 0 ? actor.id : null]);
      if (outcome === 'not_confirmed' && item.status !== 'not_confirmed') await this.verification.tellPartner(item, method, note, unticked, held, m);
      await this.audit.record(actor, {
        action: 'verification.outcome.corrected', entityType: 'service_record', entityId: item.recordId, partnerId: item.partnerId,
        before: { status: item.status, method: item.method, note: item.note, itemsUnticked: item.itemsUnticked },
        after: { verificationItemId: id, outcome, method, note: note || null, itemsUnticked: unticked, quarterLocked: held }, reason,
      }, m);
      return { item: await this.verification.get(actor, id, m), itemsUnticked: unticked, quarterLocked: held };
    });
  }
}
