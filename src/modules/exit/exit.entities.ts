import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ExitEvidence, ExitTrigger } from './exit-rules.util';

export type ProposalStatus = 'proposed' | 'approved' | 'dismissed' | 'completed';

@Entity('exit_rule')
export class ExitRule {
  @PrimaryGeneratedColumn() id: number;
  @Column() majorViolationEnabled: boolean;
  @Column() scoreFloorEnabled: boolean;
  @Column({ type: 'numeric' }) scoreFloor: string;
  @Column() consecutiveLowEnabled: boolean;
  @Column({ type: 'numeric' }) lowScoreBelow: string;
  @Column() consecutiveLowQuarters: number;
  @Column() contractEndEnabled: boolean;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

@Entity('exit_proposal')
export class ExitProposal {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() partnerId: number;
  @Column({ type: 'varchar' }) trigger: ExitTrigger;
  @Column({ type: 'jsonb' }) evidence: ExitEvidence;
  @Column({ type: 'varchar' }) status: ProposalStatus;
  @Column({ type: 'timestamptz', default: () => 'now()' }) proposedAt: Date;
  @Column({ type: 'integer', nullable: true }) proposedBy: number | null;
  @Column({ type: 'integer', nullable: true }) decidedBy: number | null;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'date', nullable: true }) exitDate: string | null;
  @Column({ type: 'integer', nullable: true }) completedBy: number | null;
  @Column({ type: 'timestamptz', nullable: true }) completedAt: Date | null;
  @Column({ type: 'integer', nullable: true }) finalSettlementBatchId: number | null;
}

@Entity('handover')
export class Handover {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() proposalId: number;
  @Column() partnerId: number;
  @Column({ type: 'varchar' }) status: 'open' | 'completed';
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) completedAt: Date | null;
}

@Entity('handover_item')
export class HandoverItem {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() handoverId: number;
  @Column() customerId: number;
  @Column({ type: 'integer', nullable: true }) receivingPartnerId: number | null;
  @Column({ type: 'integer', nullable: true }) receivingManagerUserId: number | null;
  @Column({ type: 'date', nullable: true }) effectiveOn: string | null;
  @Column() documentsTransferred: boolean;
  @Column() openRecordsTransferred: boolean;
  @Column() arrearsListTransferred: boolean;
  @Column({ type: 'date', nullable: true }) customerInformedOn: string | null;
  @Column() receiverAcknowledged: boolean;
  @Column({ type: 'timestamptz', nullable: true }) doneAt: Date | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
