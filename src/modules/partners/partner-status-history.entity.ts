import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('partner_status_history')
export class PartnerStatusHistory {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column() partnerId: number;
  @Column({ type: 'varchar', nullable: true }) fromStatus: string | null;
  @Column() toStatus: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) changedAt: Date;
  @Column({ type: 'date' }) effectiveOn: string;
  @Column({ type: 'integer', nullable: true }) actorUserId: number | null;
  @Column() reason: string;
}
