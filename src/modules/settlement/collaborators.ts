import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import { ScoringService } from '../scoring/scoring.service';
import { ViolationsService } from '../violations/violations.service';

export interface SheetRef { sheetId: number; revision: number; scoreY: string; confirmedAt: Date }
export interface PenaltyRef { partnerId: number; amount: string; reference: string; reason: string; violationId: number }

/**
 * The other modules' contracts settlement depends on (scoring's confirmed Y, the violations register's penalties),
 * looked up lazily so settlement also starts while a module is still being built; tests may replace these methods
 * with a test double.
 */
@Injectable()
export class SettlementCollaborators {
  private readonly logger = new Logger('Settlement');
  constructor(private readonly moduleRef: ModuleRef) {}

  async confirmedSheets(period: string, manager?: EntityManager): Promise<Map<number, SheetRef>> {
    const scoring = this.find(ScoringService);
    return scoring ? scoring.getConfirmedSheets(period, manager) : new Map();
  }

  async penaltyAdjustments(manager?: EntityManager): Promise<PenaltyRef[]> {
    const violations = this.find(ViolationsService);
    return violations ? violations.penaltyAdjustments(manager) : [];
  }

  private find<T>(type: new (...args: never[]) => T): T | null {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      this.logger.warn(`${type.name} is not available; settlement continues without it`);
      return null;
    }
  }
}
