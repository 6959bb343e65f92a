import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const BATCH_KINDS = ['regular', 'supplementary', 'final'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];
export const BATCH_STATUSES = ['draft', 'approved', 'exported', 'paid', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const ADJUSTMENT_KINDS = ['violation_penalty', 'clawback', 'carry_forward', 'manual', 'inquiry', 'score_correction'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];
/** what finance enters by hand or imports; carry-forward and inquiry lines are written by the system only */
export const MANUAL_ADJUSTMENT_KINDS = ['manual', 'clawback', 'violation_penalty'] as const satisfies readonly AdjustmentKind[];
export type ManualAdjustmentKind = (typeof MANUAL_ADJUSTMENT_KINDS)[number];

@Entity('accrual_import')
export class AccrualImport {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() period: string;
  @Column() fileName: string;
  @Column() lineCount: number;
  @Column({ type: 'numeric' }) totalAmount: string;
  @Column({ type: 'integer', nullable: true }) importedBy: number | null;
  @Column({ type: 'timestamptz' }) importedAt: Date;
}

@Entity('settlement_batch')
export class SettlementBatch {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() period: string;
  @Column({ type: 'varchar' }) kind: BatchKind;
  @Column({ type: 'varchar' }) status: BatchStatus;
  @Column({ type: 'integer', nullable: true }) partnerId: number | null;
  @Column() formulaVersion: string;
  @Column() lineCount: number;
  @Column({ type: 'numeric' }) totalPay: string;
  @Column({ type: 'integer', nullable: true }) createdBy: number | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) computedAt: Date;
  /** the maker: who ran or last recomputed the batch (four eyes, #16) */
  @Column({ type: 'integer', nullable: true }) computedBy: number | null;
  @Column({ type: 'integer', nullable: true }) approvedBy: number | null;
  @Column({ type: 'timestamptz', nullable: true }) approvedAt: Date | null;
  @Column({ type: 'text', nullable: true }) approveComment: string | null;
  @Column({ type: 'timestamptz', nullable: true }) exportedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) paidAt: Date | null;
  @Column({ type: 'text', nullable: true }) paidComment: string | null;
  @Column({ type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @Column({ type: 'text', nullable: true }) cancelReason: string | null;
  @Column() version: number;
}

@Entity('settlement_adjustment')
export class SettlementAdjustment {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() partnerId: number;
  @Column({ type: 'numeric' }) amount: string;
  @Column({ type: 'varchar' }) kind: AdjustmentKind;
  @Column() reason: string;
  @Column() reference: string;
  @Column({ type: 'integer', nullable: true }) appliedInBatchId: number | null;
  @Column({ type: 'integer', nullable: true }) sourceBatchId: number | null;
  /** a large manual adjustment waits for a second finance user (#16); batches only take approved ones */
  @Column({ type: 'varchar', default: 'approved' }) status: 'pending' | 'approved' | 'rejected';
  @Column({ type: 'integer', nullable: true }) decidedBy: number | null;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ type: 'text', nullable: true }) decisionNote: string | null;
  @Column({ type: 'integer', nullable: true }) createdBy: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}

@Entity('settlement_inquiry')
export class SettlementInquiry {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() batchId: number;
  @Column({ type: 'bigint' }) lineId: string;
  @Column() partnerId: number;
  @Column({ type: 'numeric' }) amount: string;
  @Column() reason: string;
  @Column({ type: 'varchar' }) status: 'open' | 'accepted' | 'rejected';
  @Column({ type: 'text', nullable: true }) answer: string | null;
  @Column({ type: 'integer', nullable: true }) adjustmentId: number | null;
  @Column({ type: 'integer', nullable: true }) raisedBy: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) raisedAt: Date;
  @Column({ type: 'integer', nullable: true }) answeredBy: number | null;
  @Column({ type: 'timestamptz', nullable: true }) answeredAt: Date | null;
}
