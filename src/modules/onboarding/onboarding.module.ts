import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PartnersModule } from '../partners/partners.module';
import { RegionsModule } from '../regions/regions.module';
import { ScoringModule } from '../scoring/scoring.module';
import { ApplicationsController } from './applications.controller';
import { ApplicationDocuments } from './application.documents';
import { ApplicationsService } from './applications.service';
import { ApplyController } from './apply.controller';
import { OnboardingAdminController } from './onboarding-admin.controller';
import { OnboardingApiController } from './onboarding-api.controller';
import { OnboardingDashboard } from './onboarding.dashboard';
import { OnboardingDemoSeeder } from './onboarding.demo-seed';
import { ONBOARDING_COMMANDS } from './onboarding.commands';
import { ApplicationReview, OnboardingApplication, ReviewCriterion, TierProposalRow } from './onboarding.entities';
import { OnboardingSettingsService } from './onboarding-settings.service';
import { PartnerImportService } from './partner-import.service';
import { OnboardingJobs } from './onboarding.jobs';
import { TierReviewService } from './tier-review.service';
import { ScoringTierScoreSource, TierScoreSource } from './tier-score-source';

/** Onboarding (合作引入): applications, review scorecards, approval, certification, partner import, tier re-evaluation. */
@Module({
  imports: [TypeOrmModule.forFeature([OnboardingApplication, ReviewCriterion, ApplicationReview, TierProposalRow]), PartnersModule, ScoringModule, RegionsModule],
  controllers: [ApplyController, ApplicationsController, OnboardingAdminController, OnboardingApiController],
  providers: [
    ApplicationsService, ApplicationDocuments, OnboardingSettingsService, PartnerImportService, OnboardingJobs, TierReviewService,
    { provide: TierScoreSource, useClass: ScoringTierScoreSource },
    OnboardingDemoSeeder, OnboardingDashboard, ...ONBOARDING_COMMANDS,
  ],
  exports: [ApplicationsService],
})
export class OnboardingModule {}
