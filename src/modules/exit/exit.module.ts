import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module';
import { DutiesModule } from '../duties/duties.module';
import { PartnersModule } from '../partners/partners.module';
import { RegionsModule } from '../regions/regions.module';
import { ScoringModule } from '../scoring/scoring.module';
import { SettlementModule } from '../settlement/settlement.module';
import { ViolationsModule } from '../violations/violations.module';
import { ExitApiController } from './exit.api.controller';
import { ExitCollaborators } from './exit-collaborators';
import { ExitCommand, ExitEvaluateCommand } from './exit.commands';
import { ExitCompletionService } from './exit-completion.service';
import { ExitDashboard } from './exit.dashboard';
import { ExitProposal, ExitRule, Handover, HandoverItem } from './exit.entities';
import { ExitListeners } from './exit.listeners';
import { ExitPagesController } from './exit.pages.controller';
import { ExitDemoSeed } from './exit.seed';
import { ExitService } from './exit.service';
import { HandoverService } from './handover.service';
import { HandoverItemDocuments } from './handover-item.documents';
import { MyExitController } from './my-exit.controller';

/** exit: triggers, proposals, handover of every customer, completion with final settlement, archive. */
@Module({
  imports: [TypeOrmModule.forFeature([ExitRule, ExitProposal, Handover, HandoverItem]), PartnersModule, CustomersModule, DutiesModule, ViolationsModule, ScoringModule, SettlementModule, RegionsModule],
  controllers: [ExitApiController, ExitPagesController, MyExitController],
  providers: [ExitService, HandoverService, HandoverItemDocuments, ExitCompletionService, ExitCollaborators, ExitListeners, ExitDashboard, ExitDemoSeed, ExitCommand, ExitEvaluateCommand],
  exports: [ExitService],
})
export class ExitModule {}
