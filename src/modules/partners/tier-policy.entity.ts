import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Tier } from './partner.entity';

/** Differentiated support per tier (configurable by admins on the onboarding settings page). */
@Entity('tier_policy')
export class TierPolicy {
  @PrimaryColumn({ type: 'char' }) tier: Tier;
  @Column() customerQuota: number;
  @Column() supportResponseHours: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

export type TierChangeSource = 'approval' | 'import' | 'accepted' | 'overridden' | 'manual';

@Entity('partner_tier_change')
export class PartnerTierChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column() partnerId: number;
  @Column({ type: 'char', nullable: true }) fromTier: Tier | null;
  @Column({ type: 'char' }) toTier: Tier;
  @Column({ type: 'varchar' }) source: TierChangeSource;
  @Column({ type: 'char', nullable: true }) proposedTier: Tier | null;
  @Column() reason: string;
  @Column({ type: 'integer', nullable: true }) actorUserId: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) changedAt: Date;
}
