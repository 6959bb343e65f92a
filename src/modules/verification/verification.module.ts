import { Module } from '@nestjs/common';
import { DutiesModule } from '../duties/duties.module';
import { ScoringModule } from '../scoring/scoring.module';
import { VerificationCommand, VerificationSampleCommand } from './verification.commands';
import { VerificationApiController, VerificationPagesController } from './verification.controller';
import { VerificationDashboard } from './verification.dashboard';
import { VerificationDemoSeed } from './verification.demo-seed';
import { VerificationJobs } from './verification.jobs';
import { VerificationCorrectionService } from './verification-correction.service';
import { VerificationService } from './verification.service';

/** verification: verified service records (#17, 随机抽样 + 电话回访) — quarterly samples, outcomes, record accuracy. */
@Module({
  imports: [DutiesModule, ScoringModule],
  controllers: [VerificationPagesController, VerificationApiController],
  providers: [VerificationService, VerificationCorrectionService, VerificationJobs, VerificationDashboard, VerificationDemoSeed, VerificationCommand, VerificationSampleCommand],
  exports: [VerificationService],
})
export class VerificationModule {}
