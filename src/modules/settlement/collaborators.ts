import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ScoringService } from '../scoring/scoring.service';
import { ViolationsService } from '../violations/violations.service';

export interface SheetRef { sheetId: number; revision: number; scoreY: string; confirmedAt: Date }
export interface PenaltyRef { partnerId: number; amount: string; reference: string; reason: string; violationId: number }

/**
 * The other modules' contracts settlement depends on (scoring's confirmed Y, the violations register's penalties),
 * in one seam so tests can replace them with a test double.
 */
@Injectable()
export class SettlementCollaborators {
  constructor(private readonly scoring: ScoringService, private readonly violations: ViolationsService) {}

  confirmedSheets(period: string, manager?: EntityManager): Promise<Map<number, SheetRef>> {
    return this.scoring.getConfirmedSheets(period, manager);
  }

  penaltyAdjustments(manager?: EntityManager): Promise<PenaltyRef[]> {
    return this.violations.penaltyAdjustments(manager);
  }
}
