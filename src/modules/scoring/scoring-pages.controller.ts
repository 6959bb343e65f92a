import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { RuleViolation } from '../../core/web/errors';
import { histogramBars, histogramOfY } from './score.util';
import { LineEdit, ScoreSheetService } from './score-sheet.service';
import { ScoringConfirmService } from './scoring-confirm.service';
import { ScoringCsvService } from './scoring-csv.service';
import { ScoringSchemeService } from './scoring-scheme.service';
import { ScoringService } from './scoring.service';
import { IndicatorDto } from './scoring.dto';
import { plainToInstance } from 'class-transformer';
import { IsArray, IsOptional, IsString, MaxLength, validateSync } from 'class-validator';
import { BadRequestException } from '@nestjs/common';

const MANAGERS = ['admin', 'channel_manager'] as const;
const PERIOD = /^\d{4}Q[1-4]$/;

class SchemeFormDto {
  @IsOptional() @IsString() @MaxLength(500) note?: string;
  @IsArray() indicators: Record<string, unknown>[];
}

const INDICATOR_FAMILY_OPTIONS = ['professional_quality', 'service_quality', 'service_attitude', 'compliance'];
const INDICATOR_METHOD_OPTIONS = ['manual', 'auto_duty_completion', 'auto_complaint_timeliness', 'auto_record_timeliness', 'deduction'];

/** Manager pages: periods, period overview with the Y histogram, the sheet editor, schemes. */
@ApiExcludeController()
@Controller('scoring')
export class ScoringPagesController {
  constructor(
    private readonly scoring: ScoringService,
    private readonly sheets: ScoreSheetService,
    private readonly confirmer: ScoringConfirmService,
    private readonly csv: ScoringCsvService,
    private readonly schemes: ScoringSchemeService,
  ) {}

  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  @Render('scoring/index')
  async periods() {
    return { title: 'Scoring', periods: await this.scoring.listPeriods(), scheme: await this.schemes.current() };
  }

  @Post('open')
  @Roles(...MANAGERS)
  async open(@CurrentUser() actor: Actor, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const period = (body.period ?? '').trim();
    const days = body.disputeWindowDays ? Number(body.disputeWindowDays) : undefined;
    const r = await this.scoring.openPeriod(actor, period, { disputeWindowDays: days });
    req.flash('success', `Scoring for ${period} is open: ${r.created} sheet(s) created${r.existing ? `, ${r.existing} already existed` : ''}.`);
    res.redirect(303, `/scoring/${encodeURIComponent(period)}`);
  }

  @Get('schemes')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('scoring/schemes')
  async schemesPage() {
    const current = await this.schemes.current();
    return { title: 'Scoring schemes', current, schemes: await this.schemes.list(), families: INDICATOR_FAMILY_OPTIONS, methods: INDICATOR_METHOD_OPTIONS };
  }

  /** Saves the edited indicator set as a new scheme version (past quarters keep theirs). Rows without a code are ignored. */
  @Post('schemes')
  @Roles('admin')
  async saveScheme(@CurrentUser() actor: Actor, @Body() dto: SchemeFormDto, @Req() req: Request, @Res() res: Response) {
    // the form always carries one blank row for a new indicator: drop rows without a code, then check the rest
    const indicators = (dto.indicators ?? []).filter((i) => String(i?.code ?? '').trim()).map((i) => plainToInstance(IndicatorDto, i));
    const problems = indicators.flatMap((row, n) => validateSync(row, { whitelist: true, forbidNonWhitelisted: true })
      .map((e) => `row ${n + 1} (${row.code}) ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`));
    if (problems.length) throw new BadRequestException(problems.join('; '));
    const saved = await this.schemes.createVersion(actor, { note: dto.note ?? '', indicators });
    req.flash('success', `Scheme version ${saved.version} saved; quarters opened from now on use it.`);
    res.redirect(303, '/scoring/schemes');
  }

  @Get('sheets/:id')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('scoring/sheet')
  async sheet(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const v = await this.sheets.view(actor, id);
    return { title: `Score sheet ${v.partner.code} ${v.sheet.period}`, ...v, isManager: (MANAGERS as readonly string[]).includes(actor.role) };
  }

  @Post('sheets/:id/lines')
  @Roles(...MANAGERS)
  async saveLines(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.sheets.saveLines(actor, id, linesFromForm(body), body.version ? Number(body.version) : undefined);
    req.flash('success', 'Scores saved.');
    res.redirect(303, `/scoring/sheets/${id}`);
  }

  @Post('sheets/:id/:action')
  @Roles(...MANAGERS)
  async act(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('action') action: string, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    let target = id;
    if (action === 'refresh') await this.sheets.refresh(actor, id);
    else if (action === 'submit') await this.sheets.submit(actor, id);
    else if (action === 'undisputable') await this.sheets.markUndisputable(actor, id, body.reason);
    else if (action === 'resolve') {
      await this.sheets.resolve(actor, id, { resolution: body.resolution === 'adjust' ? 'adjust' : 'reject', reason: body.reason, lines: linesFromForm(body) });
    } else if (action === 'confirm') {
      await this.confirmer.confirm(actor, id, { withinWindow: body.withinWindow === 'on', reason: body.reason, expectedVersion: body.version ? Number(body.version) : undefined });
    } else if (action === 'revise') target = (await this.sheets.revise(actor, id, body.reason)).id;
    else throw new RuleViolation(`unknown action ${action}`);
    req.flash('success', { refresh: 'Computed indicators recalculated.', submit: 'Sheet submitted; the partner can now see it and dispute it within the window.', undisputable: 'Sheet marked undisputable.', resolve: 'Dispute resolved.', confirm: 'Sheet confirmed: Y and P are frozen.', revise: 'A new revision was created; edit it and confirm it.' }[action]!);
    res.redirect(303, `/scoring/sheets/${target}`);
  }

  @Get(':period')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('scoring/period')
  async overview(@Param('period') period: string) {
    if (!PERIOD.test(period)) throw new RuleViolation(`"${period}" is not a period; write it like 2026Q3`);
    const p = await this.scoring.getPeriod(period);
    const rows = await this.scoring.periodSheets(period);
    const bars = histogramBars(histogramOfY(rows.map((r) => r.scoreY)));
    return { title: `Scoring ${period}`, period: p, rows, bars, scheme: await this.schemes.byId(p.schemeId) };
  }

  @Post(':period/confirm')
  @Roles(...MANAGERS)
  async confirmRun(@CurrentUser() actor: Actor, @Param('period') period: string, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const r = await this.confirmer.confirmPeriod(actor, period, { withinWindow: body.withinWindow === 'on', reason: body.reason });
    req.flash(r.confirmed.length ? 'success' : 'info', `${r.confirmed.length} sheet(s) confirmed.`);
    if (r.notConfirmed.length) req.flash('info', `Not confirmed:\n${r.notConfirmed.map((n) => `${n.partnerCode}: ${n.why}`).join('\n')}`);
    res.redirect(303, `/scoring/${period}`);
  }

  @Post(':period/import')
  @Roles(...MANAGERS)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024 } }))
  async importCsv(@CurrentUser() actor: Actor, @Param('period') period: string, @UploadedFile() file: { buffer: Buffer } | undefined, @Req() req: Request, @Res() res: Response) {
    if (!file) throw new RuleViolation('Choose a CSV file to upload.', 'file');
    const r = await this.csv.importManualScores(actor, period, file.buffer);
    req.flash('success', `Imported ${r.rows} score(s) into ${r.sheets} sheet(s).`);
    res.redirect(303, `/scoring/${period}`);
  }

  @Get(':period/export.csv')
  @Roles('admin', 'channel_manager', 'finance')
  async exportCsv(@Param('period') period: string, @Res() res: Response) {
    const csv = await this.csv.exportPeriod(period);
    res.type('text/csv').attachment(`scores-${period}.csv`).send(csv);
  }
}

/** Form fields score_<CODE> / comment_<CODE>; empty scores are left as they are. */
export function linesFromForm(body: Record<string, string>): LineEdit[] {
  return Object.keys(body).filter((k) => k.startsWith('score_') && String(body[k]).trim() !== '')
    .map((k) => ({ indicatorCode: k.slice(6), score: String(body[k]), comment: body[`comment_${k.slice(6)}`] }));
}
