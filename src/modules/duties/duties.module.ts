import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module';
import { PartnersModule } from '../partners/partners.module';
import { RegionsModule } from '../regions/regions.module';
import { DutiesApiController } from './duties-api.controller';
import { DutiesAlertsCommand, DutiesCommand, DutiesGenerateCommand, DutiesLockCommand, DutiesUnlockCommand } from './duties.commands';
import { DutiesController } from './duties.controller';
import { DutiesDashboardSection } from './duties.dashboard';
import { DutiesDemoSeed } from './duties.demo-seed';
import { DutiesJobs } from './duties.jobs';
import { DutiesService } from './duties.service';
import { ChecklistItem, DutyTemplate, PeriodLock, ServiceRecord } from './duty.entities';
import { DutyViewsService } from './duty-views.service';
import { ManagerRecordsController } from './manager-records.controller';
import { MyDutiesController } from './my-duties.controller';
import { RecordsApiController } from './records-api.controller';
import { RecordsService } from './records.service';
import { RecordUntickService } from './record-untick.service';
import { RecordsImportService } from './records-import.service';
import { ServiceRecordDocuments } from './service-record.documents';
import { ClassChangeService } from './class-change.service';

/** duties: duty templates, quarterly checklists, service records, locks and overdue alerts. */
@Module({
  imports: [TypeOrmModule.forFeature([DutyTemplate, ChecklistItem, ServiceRecord, PeriodLock]), CustomersModule, PartnersModule, RegionsModule],
  controllers: [ManagerRecordsController, DutiesController, MyDutiesController, DutiesApiController, RecordsApiController],
  providers: [
    DutiesService, DutyViewsService, RecordsService, RecordUntickService, RecordsImportService, ServiceRecordDocuments, DutiesDashboardSection, DutiesDemoSeed, DutiesJobs,
    DutiesCommand, DutiesGenerateCommand, DutiesLockCommand, DutiesUnlockCommand, DutiesAlertsCommand, ClassChangeService,
  ],
  exports: [DutiesService, RecordUntickService, ClassChangeService],
})
export class DutiesModule {}
