import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const SEVERITIES = ['minor', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type ViolationStatus = 'recorded' | 'voided';

/** A kind of violation in the configurable catalogue; its severity, deduction and penalty are copied onto each violation. */
@Entity('violation_kind')
export class ViolationKind {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() code: string;
  @Column() name: string;
  @Column({ type: 'varchar' }) severity: Severity;
  @Column({ type: 'numeric' }) scoreDeduction: string;
  @Column({ type: 'numeric', nullable: true }) penaltyAmount: string | null;
  @Column() active: boolean;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

@Entity('violation_setting')
export class ViolationSetting {
  @PrimaryGeneratedColumn() id: number;
  @Column() responseDays: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/** One recorded violation. Severity, deduction and penalty are snapshots of the kind at recording time. */
@Entity('violation')
export class Violation {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() partnerId: number;
  @Column({ type: 'integer', nullable: true }) customerId: number | null;
  @Column({ type: 'date' }) occurredOn: string;
  @Column() kindId: number;
  @Column({ type: 'varchar' }) severity: Severity;
  @Column({ type: 'numeric' }) scoreDeduction: string;
  @Column({ type: 'numeric', nullable: true }) penaltyAmount: string | null;
  @Column({ type: 'text' }) description: string;
  @Column({ type: 'text', array: true }) evidenceNames: string[];
  @Column({ type: 'integer', nullable: true }) recordedBy: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) recordedAt: Date;
  @Column({ type: 'date' }) responseDueOn: string;
  @Column({ type: 'varchar' }) status: ViolationStatus;
  @Column({ type: 'text', nullable: true }) voidReason: string | null;
  @Column({ type: 'integer', nullable: true }) voidedBy: number | null;
  @Column({ type: 'timestamptz', nullable: true }) voidedAt: Date | null;
  @Column({ type: 'text', nullable: true }) partnerResponse: string | null;
  @Column({ type: 'timestamptz', nullable: true }) respondedAt: Date | null;
  @Column({ type: 'integer', nullable: true }) respondedBy: number | null;
}
