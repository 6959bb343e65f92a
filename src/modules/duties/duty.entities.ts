import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('duty_template')
export class DutyTemplate {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() code: string;
  @Column() stage: string;
  @Column() name: string;
  @Column() nameZh: string;
  @Column() description: string;
  @Column({ type: 'text', array: true }) recordTypes: string[];
  @Column() requiredA: number;
  @Column() requiredB: number;
  @Column() requiredC: number;
  @Column({ type: 'varchar' }) deadlineKind: 'per_quarter' | 'within_hours';
  @Column({ type: 'integer', nullable: true }) dueDays: number | null;
  @Column({ type: 'integer', nullable: true }) hoursA: number | null;
  @Column({ type: 'integer', nullable: true }) hoursB: number | null;
  @Column({ type: 'integer', nullable: true }) hoursC: number | null;
  @Column() active: boolean;
  @Column() sortOrder: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

@Entity('checklist_item')
export class ChecklistItem {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column() period: string;
  @Column() customerId: number;
  @Column() dutyTemplateId: number;
  @Column() stage: string;
  @Column({ type: 'integer', nullable: true }) partnerId: number | null;
  @Column() requiredCount: number;
  @Column() fulfilledCount: number;
  @Column({ type: 'date' }) dueDate: string;
  @Column({ type: 'varchar' }) status: 'open' | 'fulfilled' | 'not_applicable';
  @Column({ type: 'date', nullable: true }) notApplicableFrom: string | null;
  @Column({ type: 'timestamptz', nullable: true }) fulfilledAt: Date | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}

@Entity('service_record')
export class ServiceRecord {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  /** the holder who did the work: a partner, or (#17) a channel manager holding the customer — exactly one */
  @Column({ type: 'integer', nullable: true }) partnerId: number | null;
  @Column({ type: 'integer', nullable: true }) managerUserId: number | null;
  @Column() customerId: number;
  @Column() period: string;
  @Column() recordType: string;
  @Column({ type: 'timestamptz' }) occurredAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) receivedAt: Date | null;
  @Column() description: string;
  @Column() outcome: string;
  /** money: numeric(14,2) kept as a string */
  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true }) amount: string | null;
  @Column({ type: 'text', array: true }) attachmentNames: string[];
  @Column({ type: 'integer', nullable: true }) complaintSlaHours: number | null;
  @Column({ type: 'boolean', nullable: true }) complaintOnTime: boolean | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ type: 'integer', nullable: true }) createdBy: number | null;
}

@Entity('period_lock')
export class PeriodLock {
  @PrimaryColumn() period: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) lockedAt: Date;
  @Column({ type: 'integer', nullable: true }) lockedBy: number | null;
  @Column() reason: string;
}
