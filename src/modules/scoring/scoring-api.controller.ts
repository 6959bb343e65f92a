import { RegionScopeService } from '../../core/auth/region-scope.service';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Put, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { tDeep } from '../../core/i18n/i18n';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { RuleViolation } from '../../core/web/errors';
import { ScoreSheetService } from './score-sheet.service';
import { ScoringConfirmService } from './scoring-confirm.service';
import { ScoringCsvService } from './scoring-csv.service';
import { ScoringSchemeService } from './scoring-scheme.service';
import { ScoringService } from './scoring.service';
import { ConfirmDto, CreateSchemeDto, OpenPeriodDto, OptionalReasonDto, ScoringReasonDto, ResolveDisputeDto, SaveLinesDto } from './scoring.dto';
import { uploadInterceptor } from '../../core/web/upload';

const STAFF = ['admin', 'channel_manager', 'finance'] as const;
const MANAGERS = ['admin', 'channel_manager'] as const;

/** JSON API of scoring. Partner users reach only their own submitted sheets (404 otherwise). */
@ApiTags('scoring')
@Controller('api/scoring')
export class ScoringApiController {
  constructor(
    private readonly scoring: ScoringService,
    private readonly sheets: ScoreSheetService,
    private readonly confirmer: ScoringConfirmService,
    private readonly csv: ScoringCsvService,
    private readonly schemes: ScoringSchemeService,
    private readonly scope: RegionScopeService,
  ) {}

  @Get('schemes') @Roles(...STAFF)
  listSchemes() { return this.schemes.list(); }

  @Get('schemes/current') @Roles(...STAFF)
  currentScheme() { return this.schemes.current(); }

  @Post('schemes') @Roles('admin')
  createScheme(@CurrentUser() actor: Actor, @Body() dto: CreateSchemeDto) {
    return this.schemes.createVersion(actor, { note: dto.note ?? '', indicators: dto.indicators });
  }

  @Get('periods') @Roles(...STAFF)
  periods() { return this.scoring.listPeriods(); }

  @Post('periods') @Roles(...MANAGERS)
  open(@CurrentUser() actor: Actor, @Body() dto: OpenPeriodDto) {
    return this.scoring.openPeriod(actor, dto.period, { disputeWindowDays: dto.disputeWindowDays });
  }

  @Get('periods/:period/sheets') @Roles(...STAFF)
  async periodSheets(@CurrentUser() actor: Actor, @Param('period') period: string) {
    await this.scoring.getPeriod(period);
    return this.scoring.periodSheets(period, undefined, await this.scope.forActor(actor));
  }

  @Post('periods/:period/confirm') @Roles(...MANAGERS)
  async confirmPeriod(@CurrentUser() actor: Actor, @Param('period') period: string, @Body() dto: ConfirmDto, @Req() req: Request) {
    const r = await this.confirmer.confirmPeriod(actor, period, { withinWindow: dto.withinWindow, reason: dto.reason });
    // why a sheet was not confirmed, in the caller's language
    return { ...r, notConfirmed: r.notConfirmed.map((n) => ({ ...n, why: tDeep(req.lang, n.why.message, n.why.params) })) };
  }

  @Post('periods/:period/import') @Roles(...MANAGERS) @ApiConsumes('multipart/form-data')
  @UseInterceptors(uploadInterceptor(5 * 1024 * 1024))
  importCsv(@CurrentUser() actor: Actor, @Param('period') period: string, @UploadedFile() file?: { buffer: Buffer }) {
    if (!file) throw new RuleViolation('scoring:errors.attachFile', 'file');
    return this.csv.importManualScores(actor, period, file.buffer);
  }

  @Get('periods/:period/export.csv') @Roles(...STAFF)
  async exportCsv(@CurrentUser() actor: Actor, @Param('period') period: string, @Res() res: Response) {
    res.type('text/csv').attachment(`scores-${period}.csv`).send(await this.csv.exportPeriod(actor, period));
  }

  @Get('my') @Roles('partner')
  async mine(@CurrentUser() actor: Actor) {
    return this.sheets.partnerHistory(actor);
  }

  @Get('sheets/:id') @AnyRole()
  sheet(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) { return this.sheets.view(actor, id, req.lang); }

  @Put('sheets/:id/lines') @Roles(...MANAGERS)
  saveLines(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: SaveLinesDto) {
    return this.sheets.saveLines(actor, id, dto.lines, dto.version);
  }

  @Post('sheets/:id/refresh') @Roles(...MANAGERS)
  refresh(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) { return this.sheets.refresh(actor, id); }

  @Post('sheets/:id/submit') @Roles(...MANAGERS)
  submit(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) { return this.sheets.submit(actor, id); }

  @Post('sheets/:id/dispute') @Roles('partner')
  dispute(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ScoringReasonDto) { return this.sheets.dispute(actor, id, dto.reason); }

  @Post('sheets/:id/accept') @Roles('partner')
  accept(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: OptionalReasonDto) {
    return this.sheets.markUndisputable(actor, id, dto.reason ?? '');
  }

  @Post('sheets/:id/undisputable') @Roles(...MANAGERS)
  undisputable(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ScoringReasonDto) {
    return this.sheets.markUndisputable(actor, id, dto.reason);
  }

  @Post('sheets/:id/resolve') @Roles(...MANAGERS)
  resolve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ResolveDisputeDto) {
    return this.sheets.resolve(actor, id, dto);
  }

  @Post('sheets/:id/confirm') @Roles(...MANAGERS)
  confirm(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ConfirmDto) {
    return this.confirmer.confirm(actor, id, { withinWindow: dto.withinWindow, reason: dto.reason, expectedVersion: dto.version });
  }

  @Post('sheets/:id/revise') @Roles(...MANAGERS)
  revise(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ScoringReasonDto) { return this.sheets.revise(actor, id, dto.reason); }
}
