import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AllowWhileExiting, AnyRole, Roles } from '../../core/auth/roles.decorator';
import { AdjustmentDto, ApproveBatchDto, InquiryDto, RunBatchDto } from './settlement.dto';
import { SettlementBatchService } from './settlement-batch.service';
import { SettlementRunService } from './settlement-run.service';
import { SettlementService } from './settlement.service';
import { StatementService } from './statement.service';

@ApiTags('settlement')
@Controller('api/settlement')
export class SettlementApiController {
  constructor(
    private readonly runs: SettlementRunService,
    private readonly batches: SettlementBatchService,
    private readonly settlement: SettlementService,
    private readonly statements: StatementService,
  ) {}

  @Post('runs')
  @Roles('admin', 'finance')
  run(@CurrentUser() actor: Actor, @Body() dto: RunBatchDto) {
    const overrides = Object.fromEntries(Object.entries(dto.overrides ?? {}).map(([k, v]) => [Number(k), String(v)]));
    return this.runs.run(actor, dto.period, { supplementary: dto.supplementary, overrides });
  }

  @Get('batches/:id')
  @Roles('admin', 'finance')
  preview(@Param('id', ParseIntPipe) id: number) {
    return this.batches.preview(id);
  }

  @Post('batches/:id/approve')
  @HttpCode(200)
  @Roles('admin', 'finance')
  approve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ApproveBatchDto) {
    return this.batches.approve(actor, id, dto.comment, dto.version, undefined, dto.acknowledge ?? []);
  }

  @Post('adjustments')
  @Roles('admin', 'finance')
  addAdjustment(@CurrentUser() actor: Actor, @Body() dto: AdjustmentDto) {
    return this.settlement.addAdjustment(actor, dto);
  }

  /** Any signed-in user; a partner user asking for another partner's statement gets 404. */
  @Get('statements/:partnerId/:period')
  @AnyRole()
  statement(@CurrentUser() actor: Actor, @Param('partnerId', ParseIntPipe) partnerId: number, @Param('period') period: string) {
    return this.statements.statement(actor, partnerId, period);
  }

  @Post('inquiries')
  @Roles('partner')
  @AllowWhileExiting()
  inquire(@CurrentUser() actor: Actor, @Body() dto: InquiryDto) {
    return this.statements.raiseInquiry(actor, dto.lineId, dto.amount, dto.reason);
  }
}
