import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { IndicatorFamily, IndicatorMethod } from './score.util';
import type { SheetStatus } from './sheet-state.util';

/** A version of the indicator catalogue. Never edited after use: a change is a new version. */
@Entity('scoring_scheme')
export class ScoringScheme {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() version: number;
  @Column({ type: 'timestamptz' }) effectiveFrom: Date;
  @Column({ type: 'integer', nullable: true }) createdBy: number | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column() note: string;
}

@Entity('scoring_indicator')
export class ScoringIndicator {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() schemeId: number;
  @Column() position: number;
  @Column() code: string;
  @Column() name: string;
  @Column({ type: 'varchar' }) family: IndicatorFamily;
  /** numeric(5,2) as a string */
  @Column({ type: 'numeric' }) weight: string;
  @Column({ type: 'varchar' }) method: IndicatorMethod;
  /** violation kind codes counted by a deduction indicator; empty = every kind */
  @Column({ type: 'text', array: true }) deductionKinds: string[];
}

@Entity('scoring_period')
export class ScoringPeriod {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() period: string;
  @Column() schemeId: number;
  @Column({ type: 'timestamptz' }) openedAt: Date;
  @Column({ type: 'integer', nullable: true }) openedBy: number | null;
  @Column() disputeWindowDays: number;
}

@Entity('score_sheet')
export class ScoreSheet {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() period: string;
  @Column() partnerId: number;
  @Column() schemeId: number;
  @Column() revision: number;
  @Column({ type: 'varchar' }) status: SheetStatus;
  /** numeric(5,2) as a string; null until every indicator has a score */
  @Column({ type: 'numeric', nullable: true }) scoreY: string | null;
  @Column({ type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) disputeDeadline: Date | null;
  @Column() undisputable: boolean;
  @Column({ type: 'timestamptz', nullable: true }) confirmedAt: Date | null;
  @Column({ type: 'integer', nullable: true }) confirmedBy: number | null;
  @Column({ type: 'text', nullable: true }) revisionReason: string | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  /** optimistic lock, bumped by every change (managed by hand: UPDATE … WHERE version = $n) */
  @Column() version: number;
}

@Entity('score_sheet_line')
export class ScoreSheetLine {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() sheetId: number;
  @Column() indicatorId: number;
  @Column({ type: 'numeric', nullable: true }) score: string | null;
  /** what an auto or deduction score was computed from, e.g. { fulfilled, required } */
  @Column({ type: 'jsonb', nullable: true }) inputs: Record<string, unknown> | null;
  @Column() comment: string;
}

@Entity('score_dispute')
export class ScoreDispute {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() sheetId: number;
  @Column() reason: string;
  @Column({ type: 'integer', nullable: true }) raisedBy: number | null;
  @Column({ type: 'timestamptz' }) raisedAt: Date;
  @Column({ type: 'varchar', nullable: true }) resolution: 'adjust' | 'reject' | null;
  @Column({ type: 'text', nullable: true }) resolutionReason: string | null;
  @Column({ type: 'integer', nullable: true }) resolvedBy: number | null;
  @Column({ type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
}

export const SCORING_ENTITIES = [ScoringScheme, ScoringIndicator, ScoringPeriod, ScoreSheet, ScoreSheetLine, ScoreDispute];
