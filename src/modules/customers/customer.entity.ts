import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CustomerClass, CustomerStage } from './customer-rules.util';

@Entity('customer')
export class Customer {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() code: string;
  @Column() name: string;
  @Column() industry: string;
  @Column() region: string;
  @Column({ type: 'char' }) customerClass: CustomerClass;
  @Column({ type: 'varchar' }) stage: CustomerStage;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/** Who holds the customer over [validFrom, validTo): a partner or a channel manager, never both. */
@Entity('customer_assignment')
export class CustomerAssignment {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column() customerId: number;
  @Column({ type: 'integer', nullable: true }) partnerId: number | null;
  @Column({ type: 'integer', nullable: true }) managerUserId: number | null;
  @Column({ type: 'date' }) validFrom: string;
  @Column({ type: 'date', nullable: true }) validTo: string | null;
  @Column() reason: string;
  @Column({ type: 'integer', nullable: true }) actorUserId: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  /** why a manager assigned beyond the partner's tier quota or outside its regions (null: within both) */
  @Column({ type: 'text', nullable: true }) overrideReason: string | null;
}

@Entity('customer_stage_history')
export class CustomerStageHistory {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column() customerId: number;
  @Column({ type: 'varchar', nullable: true }) fromStage: CustomerStage | null;
  @Column({ type: 'varchar' }) toStage: CustomerStage;
  @Column({ type: 'date' }) effectiveOn: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) changedAt: Date;
  @Column({ type: 'integer', nullable: true }) actorUserId: number | null;
  @Column() reason: string;
}
