import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One changed field of a customer (#17): who, when, field, old → new, why (a class change always has a reason). */
@Entity('customer_change')
export class CustomerChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column() customerId: number;
  @Column() field: string;
  @Column({ type: 'text', nullable: true }) oldValue: string | null;
  @Column({ type: 'text', nullable: true }) newValue: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'integer', nullable: true }) changedBy: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) changedAt: Date;
}
