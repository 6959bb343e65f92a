import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PartnersModule } from '../partners/partners.module';
import { RegionsModule } from '../regions/regions.module';
import { Customer, CustomerAssignment, CustomerStageHistory } from './customer.entity';
import { CustomerDirectoryService } from './customer-directory.service';
import { CustomerImportService } from './customer-import.service';
import { CustomersJobs } from './customers.jobs';
import { CustomersApiController } from './customers-api.controller';
import { CustomersCommand, CustomersImportCommand } from './customers.commands';
import { CustomersController } from './customers.controller';
import { CustomersDemoSeed } from './customers.demo-seed';
import { CustomersService } from './customers.service';
import { CustomerChange } from './customer-change.entity';
import { CustomerEditController } from './customer-edit.controller';
import { CustomerMasterDataService } from './customer-master-data.service';

/** customers: enterprise customers, assignments over time, lifecycle stages. */
@Module({
  imports: [TypeOrmModule.forFeature([Customer, CustomerAssignment, CustomerStageHistory, CustomerChange]), PartnersModule, RegionsModule],
  controllers: [CustomerEditController, CustomersController, CustomersApiController],
  providers: [CustomerMasterDataService, CustomersService, CustomerDirectoryService, CustomerImportService, CustomersJobs, CustomersCommand, CustomersImportCommand, CustomersDemoSeed],
  exports: [CustomersService, CustomerDirectoryService, CustomerMasterDataService],
})
export class CustomersModule {}
