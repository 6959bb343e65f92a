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

@Module({
  imports: [TypeOrmModule.forFeature([Partner, PartnerStatusHistory, TierPolicy, PartnerTierChange]), RegionsModule],
  controllers: [PartnersApiController, PartnersController, BankChangeController],
  providers: [PartnersService, PartnerDirectoryService, PartnerAccountsService, BankChangeService],
  exports: [PartnersService, PartnerDirectoryService],
})
export class PartnersModule {}
