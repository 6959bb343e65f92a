import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const INVOICE_STATUSES = ['submitted', 'accepted', 'rejected'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** A partner's invoice (发票) for one approved statement line, and finance's check of it (#16). */
@Entity('settlement_invoice')
export class SettlementInvoice {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column({ type: 'bigint' }) lineId: string;
  @Column() partnerId: number;
  @Column() invoiceNo: string;
  @Column({ type: 'numeric' }) amount: string;
  @Column({ type: 'date' }) invoiceDate: string;
  @Column({ type: 'numeric' }) taxRate: string;
  @Column({ type: 'integer', nullable: true }) documentId: number | null;
  @Column({ type: 'varchar', default: 'submitted' }) status: InvoiceStatus;
  @Column({ type: 'boolean', nullable: true }) amountMatches: boolean | null;
  @Column({ type: 'text', nullable: true }) checkReason: string | null;
  @Column({ type: 'integer', nullable: true }) submittedBy: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) submittedAt: Date;
  @Column({ type: 'integer', nullable: true }) checkedBy: number | null;
  @Column({ type: 'timestamptz', nullable: true }) checkedAt: Date | null;
}
