import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { DutiesService } from '../duties/duties.service';
import { ScoringService } from '../scoring/scoring.service';
import { SettlementService } from '../settlement/settlement.service';

export interface ScoreRef { period: string; scoreY: string }

/**
 * The calls exit makes into scoring, duties and settlement, in one place: the services stay thin on these
 * contracts and tests can replace a single method (e.g. confirmed scores) with a double.
 */
@Injectable()
export class ExitCollaborators {
  constructor(private readonly scoring: ScoringService, private readonly duties: DutiesService, private readonly settlement: SettlementService) {}

  lastConfirmedScores(partnerId: number, n: number): Promise<ScoreRef[]> {
    return this.scoring.lastConfirmedScores(partnerId, n);
  }

  confirmedSheets(period: string): Promise<Map<number, { scoreY: string }>> {
    return this.scoring.getConfirmedSheets(period);
  }

  /** Open duty checklist items follow the new holder (customers' reassign event does it too; the call is idempotent). */
  moveOpenItems(actor: Actor, customerId: number, toPartnerId: number | null, effectiveOn: string, manager: EntityManager): Promise<number> {
    return this.duties.moveOpenItems(actor, customerId, toPartnerId, effectiveOn, manager);
  }

  /** Final settlement inside the completion transaction; returns the batch id. */
  runFinalSettlement(actor: Actor, partnerId: number, opts: { exitDate: string; scoreY?: string; reason: string }, manager: EntityManager): Promise<number | null> {
    return this.settlement.runFinalSettlement(actor, partnerId, opts, manager);
  }

  outstandingFor(partnerId: number) {
    return this.settlement.outstandingFor(partnerId);
  }
}
