import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One changed field of a partner's master data (#17): who, when, field, old → new. */
@Entity('partner_change')
export class PartnerChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column() partnerId: number;
  @Column() field: string;
  @Column({ type: 'text', nullable: true }) oldValue: string | null;
  @Column({ type: 'text', nullable: true }) newValue: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'integer', nullable: true }) changedBy: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) changedAt: Date;
}
