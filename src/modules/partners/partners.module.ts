import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Partner } from './partner.entity';
import { PartnerStatusHistory } from './partner-status-history.entity';
import { PartnersService } from './partners.service';

@Module({
  imports: [TypeOrmModule.forFeature([Partner, PartnerStatusHistory])],
  providers: [PartnersService],
  exports: [PartnersService],
})
export class PartnersModule {}
