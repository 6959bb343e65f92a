import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { PartnersModule } from '../partners/partners.module';
import { SupportApiController } from './support-api.controller';
import { SupportPagesController } from './support-pages.controller';
import { SupportDashboard } from './support.dashboard';
import { SupportDemoSeed } from './support.demo-seed';
import { SupportRequestDocuments } from './support.documents';
import { SupportJobs } from './support.jobs';
import { SupportService } from './support.service';

/** Policy support (#17, seed 003 政策支持): partners' support requests with tier response times, answers, ratings, overdue alerts. */
@Module({
  imports: [PartnersModule, CustomersModule],
  controllers: [SupportApiController, SupportPagesController],
  providers: [SupportService, SupportJobs, SupportRequestDocuments, SupportDashboard, SupportDemoSeed],
  exports: [SupportService],
})
export class SupportModule {}
