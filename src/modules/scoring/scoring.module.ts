import { Module } from '@nestjs/common';
import { ScoringDashboard } from './scoring.dashboard';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DutiesModule } from '../duties/duties.module';
import { PartnersModule } from '../partners/partners.module';
import { ViolationsModule } from '../violations/violations.module';
import { MyScoresController } from './my-scores.controller';
import { ScoreSheetService } from './score-sheet.service';
import { ScoringApiController } from './scoring-api.controller';
import { ScoringConfirmService } from './scoring-confirm.service';
import { ScoringCsvService } from './scoring-csv.service';
import { ScoringInputsService } from './scoring-inputs.service';
import { ScoringPagesController } from './scoring-pages.controller';
import { ScoringSchemeService } from './scoring-scheme.service';
import { ScoringService } from './scoring.service';
import { SCORING_ENTITIES } from './scoring.entities';
import { ScoringCommands } from './scoring.commands';
import { ScoringDemoSeeder } from './scoring.demo-seed';
import { ComplaintsModule } from '../complaints/complaints.module';

/** Quarterly service-quality scoring: schemes, sheets, disputes, Y and the quality coefficient P. */
@Module({
  imports: [TypeOrmModule.forFeature(SCORING_ENTITIES), PartnersModule, DutiesModule, ViolationsModule, ComplaintsModule],
  controllers: [ScoringApiController, ScoringPagesController, MyScoresController],
  providers: [
    ScoringService, ScoringSchemeService, ScoreSheetService, ScoringConfirmService, ScoringCsvService, ScoringInputsService,
    ...ScoringCommands, ScoringDemoSeeder, ScoringDashboard,
  ],
  exports: [ScoringService, ScoreSheetService],
})
export class ScoringModule {}
