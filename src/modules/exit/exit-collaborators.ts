import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import { Actor } from '../../core/auth/actor';

export interface ScoreRef { period: string; scoreY: string }
type Ctor = new (...args: never[]) => unknown;

/**
 * The contracts of scoring, duties and settlement that exit calls, looked up lazily (these modules are built at the
 * same time; exit must start and be testable while one is missing). Tests replace these methods with doubles to
 * assert the calls. Customers, partners, violations and users are injected directly in the services.
 */
@Injectable()
export class ExitCollaborators {
  private readonly logger = new Logger('Exit');
  constructor(private readonly moduleRef: ModuleRef) {}

  async lastConfirmedScores(partnerId: number, n: number): Promise<ScoreRef[]> {
    const scoring = this.find<{ lastConfirmedScores(p: number, n: number): Promise<ScoreRef[]> }>('../scoring/scoring.service', 'ScoringService');
    return scoring ? scoring.lastConfirmedScores(partnerId, n) : [];
  }

  async confirmedSheets(period: string): Promise<Map<number, { scoreY: string }>> {
    const scoring = this.find<{ getConfirmedSheets(p: string): Promise<Map<number, { scoreY: string }>> }>('../scoring/scoring.service', 'ScoringService');
    return scoring ? scoring.getConfirmedSheets(period) : new Map();
  }

  /** Open duty checklist items follow the new holder (customers' reassign event does it too; the call is idempotent). */
  async moveOpenItems(actor: Actor, customerId: number, toPartnerId: number | null, effectiveOn: string, manager: EntityManager): Promise<number> {
    const duties = this.find<{ moveOpenItems(a: Actor, c: number, p: number | null, d: string, m: EntityManager): Promise<number> }>('../duties/duties.service', 'DutiesService');
    return duties ? duties.moveOpenItems(actor, customerId, toPartnerId, effectiveOn, manager) : 0;
  }

  /** Returns the final batch id, or null when settlement is not available (the exit then records that it is pending). */
  async runFinalSettlement(actor: Actor, partnerId: number, opts: { exitDate: string; scoreY?: string; reason: string }, manager: EntityManager): Promise<number | null> {
    const settlement = this.find<{ runFinalSettlement(a: Actor, p: number, o: typeof opts, m?: EntityManager): Promise<number> }>('../settlement/settlement.service', 'SettlementService');
    return settlement ? settlement.runFinalSettlement(actor, partnerId, opts, manager) : null;
  }

  async outstandingFor(partnerId: number): Promise<unknown> {
    const settlement = this.find<{ outstandingFor(p: number): Promise<unknown> }>('../settlement/settlement.service', 'SettlementService');
    return settlement ? settlement.outstandingFor(partnerId) : null;
  }

  private find<T>(file: string, name: string): T | null {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const type = (require(file) as Record<string, Ctor>)[name];
      return type ? (this.moduleRef.get(type, { strict: false }) as T) : null;
    } catch {
      this.logger.warn(`${name} is not available; exit continues without it`);
      return null;
    }
  }
}
