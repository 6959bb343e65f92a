import { Module } from '@nestjs/common';
import { RetentionApiController, RetentionPagesController } from './retention.controller';
import { RetentionCommand, RetentionEvaluateCommand } from './retention.commands';
import { RetentionDashboard } from './retention.dashboard';
import { RetentionDemoSeed } from './retention.demo-seed';
import { RetentionJobs } from './retention.jobs';
import { RetentionService } from './retention.service';

/** retention: churn early warnings (客户流失预警) — customers at risk, retention tasks, outcomes. */
@Module({
  controllers: [RetentionPagesController, RetentionApiController],
  providers: [RetentionService, RetentionJobs, RetentionDashboard, RetentionDemoSeed, RetentionCommand, RetentionEvaluateCommand],
  exports: [RetentionService],
})
export class RetentionModule {}
