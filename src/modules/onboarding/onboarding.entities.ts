import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Tier } from '../partners/partner.entity';
import { ScoredCriterion, Suggestion } from './scorecard.util';

/** An application: the organisation data lives on the partner row (status applied…), the rest here. */
@Entity('onboarding_application')
export class OnboardingApplication {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() partnerId: number;
  @Column() qualifications: string;
  @Column({ type: 'jsonb' }) documentNames: string[];
  @Column() intendedRegions: string;
  @Column({ type: 'varchar' }) channel: 'public' | 'manager' | 'import';
  @Column({ type: 'integer', nullable: true }) enteredBy: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) submittedAt: Date;
}

@Entity('review_criterion')
export class ReviewCriterion {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() name: string;
  @Column() weight: number;
  @Column() maxPoints: number;
  @Column() active: boolean;
  @Column() sort: number;
}

/** A scored line; points stay null while the review is a draft. */
export type ReviewLine = Omit<ScoredCriterion, 'points'> & { points: number | null };

@Entity('application_review')
export class ApplicationReview {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() applicationId: number;
  @Column() partnerId: number;
  @Column({ type: 'jsonb' }) scores: ReviewLine[];
  @Column() comments: string;
  @Column({ type: 'numeric', nullable: true }) total: string | null;
  @Column({ type: 'numeric' }) passMark: string;
  @Column({ type: 'varchar', nullable: true }) suggestedDecision: Suggestion | null;
  @Column({ type: 'varchar', nullable: true }) decision: 'approved' | 'rejected' | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'integer', nullable: true }) reviewerUserId: number | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) startedAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
}

@Entity('tier_proposal')
export class TierProposalRow {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() partnerId: number;
  @Column({ type: 'char', nullable: true }) currentTier: Tier | null;
  @Column({ type: 'char' }) proposedTier: Tier;
  @Column({ type: 'numeric' }) averageScore: string;
  @Column({ type: 'jsonb' }) scores: { period: string; scoreY: string }[];
  @Column({ type: 'varchar' }) status: 'pending' | 'accepted' | 'overridden' | 'superseded';
  @Column({ type: 'char', nullable: true }) decidedTier: Tier | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) proposedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ type: 'integer', nullable: true }) decidedBy: number | null;
}
