import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { PartnerStatus } from './partner-status.util';

export const COOPERATION_TYPES = ['sales', 'service', 'sales_and_service'] as const;
export type CooperationType = (typeof COOPERATION_TYPES)[number];
export const TIERS = ['A', 'B', 'C'] as const;
export type Tier = (typeof TIERS)[number];

@Entity('partner')
export class Partner {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() code: string;
  @Column() name: string;
  @Column() creditCode: string;
  @Column() contactName: string;
  @Column() contactPhone: string;
  @Column() contactEmail: string;
  @Column() region: string;
  /** postal address (#17 master data; '' when not known) */
  @Column() address: string;
  @Column() bankAccountName: string;
  @Column() bankName: string;
  @Column() bankAccountNo: string;
  @Column({ type: 'varchar' }) cooperationType: CooperationType;
  @Column({ type: 'char', nullable: true }) tier: Tier | null;
  @Column({ type: 'varchar', nullable: true }) certificationId: string | null;
  /** the organisation certificate: issuer, issue date and last valid day (set with the certification id, see migration 1764850000000) */
  @Column({ type: 'varchar', nullable: true }) certificateIssuer: string | null;
  @Column({ type: 'date', nullable: true }) certificateIssuedOn: string | null;
  @Column({ type: 'date', nullable: true }) certificateValidUntil: string | null;
  @Column({ type: 'varchar' }) status: PartnerStatus;
  @Column({ type: 'date', nullable: true }) contractSignedOn: string | null;
  /** first day of the contract (#17); the contract-end exit trigger works from contractEndOn */
  @Column({ type: 'date', nullable: true }) contractStartOn: string | null;
  @Column({ type: 'date', nullable: true }) contractEndOn: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
  @VersionColumn() version: number;
}

export { maskAccount } from '../../core/privacy/bank-account.util';
