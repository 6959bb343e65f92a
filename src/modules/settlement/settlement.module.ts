import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module';
import { PartnersModule } from '../partners/partners.module';
import { ScoringModule } from '../scoring/scoring.module';
import { ViolationsModule } from '../violations/violations.module';
import { AccrualImportService } from './accrual-import.service';
import { SettlementCollaborators } from './collaborators';
import { MyStatementsController } from './my-statements.controller';
import { SettlementApiController } from './settlement.api.controller';
import { SETTLEMENT_COMMANDS } from './settlement.commands';
import { AccrualImport, SettlementAdjustment, SettlementBatch, SettlementInquiry } from './settlement.entities';
import { SettlementPagesController } from './settlement.pages.controller';
import { SettlementJobs } from './settlement.jobs';
import { SettlementLineDocuments } from './settlement-line.documents';
import { SettlementDemoSeed } from './settlement.seed';
import { SettlementBatchService } from './settlement-batch.service';
import { SettlementRunService } from './settlement-run.service';
import { SettlementService } from './settlement.service';
import { StatementService } from './statement.service';
import { StatementPdfController } from './statement-pdf.controller';
import { StatementPdfService } from './statement-pdf.service';

/** Settlement (酬金评定 + 费用结算): accruals, batches with the 90/10 formula, adjustments, statements, inquiries, payout export. */
@Module({
  imports: [TypeOrmModule.forFeature([AccrualImport, SettlementBatch, SettlementAdjustment, SettlementInquiry]), PartnersModule, CustomersModule, ScoringModule, ViolationsModule],
  controllers: [SettlementPagesController, MyStatementsController, SettlementApiController, StatementPdfController],
  providers: [SettlementCollaborators, AccrualImportService, SettlementRunService, SettlementBatchService, SettlementService, StatementService, StatementPdfService, SettlementDemoSeed, SettlementJobs, SettlementLineDocuments, ...SETTLEMENT_COMMANDS],
  exports: [SettlementService, SettlementBatchService, AccrualImportService],
})
export class SettlementModule {}
