import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module';
import { PartnersModule } from '../partners/partners.module';
import { Violation, ViolationKind, ViolationSetting } from './violation.entity';
import { ViolationsApiController } from './violations.api.controller';
import { ViolationsDashboard } from './violations.dashboard';
import { ViolationKindsPagesController, ViolationsPagesController } from './violations.pages.controller';
import { ViolationsDemoSeed } from './violations.seed';
import { ViolationsService } from './violations.service';
import { ViolationDocuments } from './violation.documents';

/** Violations register: catalogue, recording, voiding, partner responses; feeds scoring, settlement and exit. */
@Module({
  imports: [TypeOrmModule.forFeature([Violation, ViolationKind, ViolationSetting]), PartnersModule, CustomersModule],
  controllers: [ViolationKindsPagesController, ViolationsApiController, ViolationsPagesController],
  providers: [ViolationsService, ViolationsDashboard, ViolationsDemoSeed, ViolationDocuments],
  exports: [ViolationsService],
})
export class ViolationsModule {}
