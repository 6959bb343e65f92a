import { RegionScopeService } from '../../core/auth/region-scope.service';
import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsArray, IsOptional, IsString, MaxLength, validateSync } from 'class-validator';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx } from '../../core/export/xlsx.util';
import { tDeep } from '../../core/i18n/i18n';
import { validationFieldErrors } from '../../core/i18n/validation-errors';
import { RuleViolation } from '../../core/web/errors';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { histogramBars, histogramOfY } from './score.util';
import { LineEdit, ScoreSheetService } from './score-sheet.service';
import { ScoringConfirmService } from './scoring-confirm.service';
import { ScoringCsvService } from './scoring-csv.service';
import { indicatorNameRef } from './scoring-labels';
import { ScoringSchemeService } from './scoring-scheme.service';
import { PERIOD_SHEETS_LIST, PeriodSheetFilter, ScoringService } from './scoring.service';
import { IndicatorDto } from './scoring.dto';
import { SHEET_STATUSES } from './sheet-state.util';
import { uploadInterceptor } from '../../core/web/upload';

const MANAGERS = ['admin', 'channel_manager'] as const;
const PERIOD = /^\d{4}Q[1-4]$/;
const XLSX_MAX_ROWS = 100_000;

class SchemeFormDto {
  @IsOptional() @IsString() @MaxLength(500) note?: string;
  @IsArray() indicators: Record<string, unknown>[];
}

const INDICATOR_FAMILY_OPTIONS = ['professional_quality', 'service_quality', 'service_attitude', 'compliance'];
const INDICATOR_METHOD_OPTIONS = ['manual', 'auto_duty_completion', 'auto_complaint_timeliness', 'auto_record_timeliness', 'deduction'];

const FLASH: Record<string, string> = {
  refresh: 'scoring:flash.refresh', submit: 'scoring:flash.submit', undisputable: 'scoring:flash.undisputable',
  resolve: 'scoring:flash.resolve', confirm: 'scoring:flash.confirm', revise: 'scoring:flash.revise',
};

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
    private readonly scope: RegionScopeService,
  ) {}

  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  @Render('scoring/index')
  async periods() {
    return { title: 'scoring:index.title', periods: await this.scoring.listPeriods(), scheme: await this.schemes.current() };
  }

  @Post('open')
  @Roles(...MANAGERS)
  async open(@CurrentUser() actor: Actor, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const period = String(body.period ?? '').trim();
    const rawDays = String(body.disputeWindowDays ?? '').trim();
    const days = rawDays ? Number(rawDays) : undefined;
    const r = await this.scoring.openPeriod(actor, period, { disputeWindowDays: days });
    req.flash('success', r.existing ? 'scoring:flash.openedWithExisting' : 'scoring:flash.opened', { period, created: r.created, existing: r.existing });
    res.redirect(303, `/scoring/${encodeURIComponent(period)}`);
  }

  @Get('schemes')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('scoring/schemes')
  async schemesPage() {
    const current = await this.schemes.current();
    const named = { ...current, indicators: current.indicators.map((i) => ({ ...i, nameRef: indicatorNameRef(i.code, i.name) })) };
    // the seeded version's note is shown in the reader's language
    const schemes = (await this.schemes.list()).map((s) => ({ ...s, note: s.note === 'Default scheme (seeded)' ? 'scoring:schemes.seededNote' : s.note }));
    return { title: 'scoring:schemes.title', current: named, schemes, families: INDICATOR_FAMILY_OPTIONS, methods: INDICATOR_METHOD_OPTIONS };
  }

  /** Saves the edited indicator set as a new scheme version (past quarters keep theirs). Rows without a code are ignored. */
  @Post('schemes')
  @Roles('admin')
  async saveScheme(@CurrentUser() actor: Actor, @Body() dto: SchemeFormDto, @Req() req: Request, @Res() res: Response) {
    // the form always carries one blank row for a new indicator: drop rows without a code, then check the rest;
    // a refused row is named as the form names its inputs (indicators.<n>.<field>)
    const rows = (dto.indicators ?? []).map((i, n) => ({ n, i })).filter(({ i }) => String(i?.code ?? '').trim());
    const indicators = rows.map(({ i }) => plainToInstance(IndicatorDto, i));
    const errors = indicators.flatMap((row, k) => validationFieldErrors(validateSync(row, { whitelist: true, forbidNonWhitelisted: true }), `indicators.${rows[k].n}`));
    if (errors.length) throw new BadRequestException({ message: 'common:form.fixFields', params: { count: errors.length }, errors });
    const saved = await this.schemes.createVersion(actor, { note: dto.note ?? '', indicators });
    req.flash('success', 'scoring:flash.schemeSaved', { version: saved.version });
    res.redirect(303, '/scoring/schemes');
  }

  @Get('sheets/:id')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('scoring/sheet')
  async sheet(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const v = await this.sheets.view(actor, id, req.lang);
    return { title: req.t('scoring:sheet.title', { code: v.partner.code, period: v.sheet.period }), ...v, isManager: (MANAGERS as readonly string[]).includes(actor.role) };
  }

  @Post('sheets/:id/lines')
  @Roles(...MANAGERS)
  async saveLines(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.sheets.saveLines(actor, id, linesFromForm(body), body.version ? Number(body.version) : undefined);
    req.flash('success', 'scoring:flash.saved');
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
    else throw new RuleViolation('scoring:errors.unknownAction', undefined, { action: action.slice(0, 40) });
    req.flash('success', FLASH[action]);
    res.redirect(303, `/scoring/sheets/${target}`);
  }

  /** The period overview: the Y histogram over every sheet, and the sheets filtered, sorted, paged (or as Excel). */
  @Get(':period')
  @Roles('admin', 'channel_manager', 'finance')
  async overview(@CurrentUser() actor: Actor, @Param('period') period: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    if (!PERIOD.test(period)) throw new RuleViolation('errors:period.invalid', undefined, { value: period.slice(0, 40) });
    const p = await this.scoring.getPeriod(period);
    const q = plainQuery(query);
    const filter: PeriodSheetFilter = {
      status: (SHEET_STATUSES as readonly string[]).includes(q.status ?? '') ? q.status : undefined,
      q: q.q?.trim().slice(0, 100) || undefined,
      scope: await this.scope.forActor(actor),
    };
    const list = parseListQuery(query, PERIOD_SHEETS_LIST);
    if (query.format === 'xlsx') {
      const all = await this.scoring.periodSheetPage(period, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      const title = req.t('scoring:period.xlsxTitle', { period });
      await sendXlsx(res, `${title}.xlsx`, {
        title, exportedAtLabel: req.t('common:list.exportedAt'),
        filters: [
          ...(filter.status ? [[req.t('scoring:period.filter.status'), req.t(`scoring:status.${filter.status}`)] as [string, string]] : []),
          ...(filter.q ? [[req.t('scoring:period.filter.q'), filter.q] as [string, string]] : []),
        ],
        columns: [
          { header: req.t('scoring:period.col.partnerCode'), key: 'partnerCode', width: 14 },
          { header: req.t('scoring:period.col.partnerName'), key: 'partnerName', width: 30 },
          { header: req.t('scoring:period.col.status'), key: 'statusText', width: 12 },
          { header: req.t('scoring:period.col.revision'), key: 'revision', kind: 'number', width: 10 },
          { header: req.t('scoring:period.col.scoreY'), key: 'scoreY', kind: 'number', width: 14 },
          { header: req.t('scoring:period.col.coefficientP'), key: 'coefficientP', kind: 'coefficient', width: 18 },
          { header: req.t('scoring:period.col.disputeDeadline'), key: 'disputeDeadline', kind: 'datetime', width: 18 },
          { header: req.t('scoring:period.col.undisputable'), key: 'undisputableText', width: 10 },
        ],
        rows: all.rows.map((r) => ({ ...r, statusText: req.t(`scoring:status.${r.status}`), undisputableText: req.t(r.undisputable ? 'common:yesNo.yes' : 'common:yesNo.no') })),
      });
      return;
    }
    const [page, scores] = await Promise.all([this.scoring.periodSheetPage(period, filter, list), this.scoring.periodScores(period, filter.scope)]);
    const bars = histogramBars(histogramOfY(scores));
    res.render('scoring/period', {
      title: req.t('scoring:period.title', { period }), period: p, rows: page.rows, bars, scheme: await this.schemes.byId(p.schemeId),
      filter, statuses: SHEET_STATUSES, list, pager: buildPager(page.total, list, `/scoring/${period}`, query),
    });
  }

  @Post(':period/confirm')
  @Roles(...MANAGERS)
  async confirmRun(@CurrentUser() actor: Actor, @Param('period') period: string, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const r = await this.confirmer.confirmPeriod(actor, period, { withinWindow: body.withinWindow === 'on', reason: body.reason });
    req.flash(r.confirmed.length ? 'success' : 'info', 'scoring:flash.confirmedCount', { count: r.confirmed.length });
    if (r.notConfirmed.length) {
      const lines = r.notConfirmed.map((n) => req.t('scoring:flash.notConfirmedLine', { partner: n.partnerCode, why: tDeep(req.lang, n.why.message, n.why.params) }));
      req.flash('info', [req.t('scoring:flash.notConfirmed'), ...lines].join('\n'));
    }
    res.redirect(303, `/scoring/${period}`);
  }

  @Post(':period/import')
  @Roles(...MANAGERS)
  @UseInterceptors(uploadInterceptor(5 * 1024 * 1024))
  async importCsv(@CurrentUser() actor: Actor, @Param('period') period: string, @UploadedFile() file: { buffer: Buffer } | undefined, @Req() req: Request, @Res() res: Response) {
    if (!file) throw new RuleViolation('scoring:errors.chooseFile', 'file');
    const r = await this.csv.importManualScores(actor, period, file.buffer);
    req.flash('success', 'scoring:flash.imported', { rows: r.rows, sheets: r.sheets });
    res.redirect(303, `/scoring/${period}`);
  }

  @Get(':period/export.csv')
  @Roles('admin', 'channel_manager', 'finance')
  async exportCsv(@CurrentUser() actor: Actor, @Param('period') period: string, @Res() res: Response) {
    const csv = await this.csv.exportPeriod(actor, period);
    res.type('text/csv').attachment(`scores-${period}.csv`).send(csv);
  }
}

/** Form fields score_<CODE> / comment_<CODE>; empty scores are left as they are. */
export function linesFromForm(body: Record<string, string>): LineEdit[] {
  return Object.keys(body).filter((k) => k.startsWith('score_') && String(body[k]).trim() !== '')
    .map((k) => ({ indicatorCode: k.slice(6), score: String(body[k]), comment: body[`comment_${k.slice(6)}`] }));
}
