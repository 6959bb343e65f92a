import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BankChangeController } from './bank-change.controller';
import { BankChangeService } from './bank-change.service';
import { PartnerAccountsService } from './partner-accounts.service';
import { PartnerDirectoryService } from './partner-directory.service';
import { Partner } from './partner.entity';
import { RegionsModule } from '../regions/regions.module';
import { PartnerStatusHistory } from './partner-status-history.entity';
import { PartnersApiController } from './partners-api.controller';
import { PartnersController } from './partners.controller';
import { PartnersService } from './partners.service';
import { PartnerTierChange, TierPolicy } from './tier-policy.entity';
import { PartnerChange } from './partner-change.entity';
import { PartnerEditController } from './partner-edit.controller';
import { PartnerMasterDataService } from './partner-master-data.service';

@Module({
  imports: [TypeOrmModule.forFeature([Partner, PartnerStatusHistory, TierPolicy, PartnerTierChange, PartnerChange]), RegionsModule],
  controllers: [PartnersApiController, PartnersController, BankChangeController, PartnerEditController],
  providers: [PartnersService, PartnerDirectoryService, PartnerAccountsService, BankChangeService, PartnerMasterDataService],
  exports: [PartnersService, PartnerDirectoryService, PartnerMasterDataService],
})
export class PartnersModule {}
