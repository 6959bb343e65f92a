import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { DutiesModule } from '../duties/duties.module';
import { RetentionModule } from '../retention/retention.module';
import { ComplaintDocuments } from './complaint.documents';
import { ComplaintImportService } from './complaint-import.service';
import { ComplaintTimelinessService } from './complaint-timeliness.service';
import { ComplaintsApiController } from './complaints.api.controller';
import { ComplaintsCommand, ComplaintsEscalateCommand, ComplaintsImportCommand } from './complaints.commands';
import { ComplaintsDashboard } from './complaints.dashboard';
import { ComplaintsDemoSeed } from './complaints.demo-seed';
import { ComplaintsJobs } from './complaints.jobs';
import { ComplaintsPagesController } from './complaints.pages.controller';
import { ComplaintsService } from './complaints.service';

/** complaints: complaint and fault work orders (投诉/故障工单) with time limits, escalation and return visits. */
@Module({
  imports: [CustomersModule, DutiesModule, RetentionModule],
  controllers: [ComplaintsPagesController, ComplaintsApiController],
  providers: [
    ComplaintsService, ComplaintTimelinessService, ComplaintImportService, ComplaintsJobs, ComplaintDocuments, ComplaintsDashboard, ComplaintsDemoSeed,
    ComplaintsCommand, ComplaintsEscalateCommand, ComplaintsImportCommand,
  ],
  exports: [ComplaintsService, ComplaintTimelinessService],
})
export class ComplaintsModule {}
