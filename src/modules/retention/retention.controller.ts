import { Body, Controller, Get, Param, ParseIntPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx, XlsxColumn } from '../../core/export/xlsx.util';
import { periodOfDate, previousPeriod, todayIso } from '../../core/period/period.util';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { typedPartnerCode } from '../../core/web/partner-filter';
import { OUTCOMES, WARNING_CAUSES } from './retention-rules.util';
import { CloseWarningDto, RetentionEvaluateDto, RetentionSettingsDto } from './retention.dto';
import { parseWarningFilter, RetentionService, WarningFilter, WarningRow, WARNINGS_LIST } from './retention.service';

const XLSX_MAX_ROWS = 100_000;

/** Customers at risk: staff under /retention (per manager and region), the partner's own under /my/retention. */
@ApiExcludeController()
@Controller()
export class RetentionPagesController {
  constructor(private readonly retention: RetentionService) {}

  @Get('retention')
  @Roles('admin', 'channel_manager')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    await this.renderList(actor, query, req, res, '/retention');
  }

  @Get('my/retention')
  @Roles('partner')
  async mine(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    await this.renderList(actor, query, req, res, '/my/retention');
  }

  @Post('retention/evaluate')
  @Roles('admin', 'channel_manager')
  async evaluate(@CurrentUser() actor: Actor, @Body() dto: RetentionEvaluateDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.retention.evaluateAccruals(actor, dto.period);
    req.flash('success', 'retention:flash.evaluated', { period: dto.period, raised: r.raised });
    res.redirect(303, '/retention');
  }

  @Post('retention/settings')
  @Roles('admin')
  async settings(@CurrentUser() actor: Actor, @Body() dto: RetentionSettingsDto, @Req() req: Request, @Res() res: Response) {
    await this.retention.saveSettings(actor, dto);
    req.flash('success', 'retention:flash.settingsSaved');
    res.redirect(303, '/retention');
  }

  @Get('retention/:id')
  @Roles('admin', 'channel_manager')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    res.render('retention/detail', await this.detailModel(actor, id, req));
  }

  @Get('my/retention/:id')
  @Roles('partner')
  async myDetail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    res.render('retention/detail', await this.detailModel(actor, id, req));
  }

  @Post('retention/:id/close')
  @Roles('admin', 'channel_manager', 'partner')
  async close(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CloseWarningDto, @Req() req: Request, @Res() res: Response) {
    await this.retention.close(actor, id, dto);
    req.flash('success', 'retention:flash.closed', { id });
    res.redirect(303, actor.role === 'partner' ? `/my/retention/${id}` : `/retention/${id}`);
  }

  private async detailModel(actor: Actor, id: number, req: Request) {
    const w = await this.retention.getForActor(actor, id);
    return { title: req.t('retention:detail.title', { id }), w, outcomes: OUTCOMES, back: actor.role === 'partner' ? '/my/retention' : '/retention', canClose: w.status === 'open' };
  }

  private async renderList(actor: Actor, query: Record<string, unknown>, req: Request, res: Response, path: string) {
    const staff = actor.role !== 'partner';
    const filter = parseWarningFilter(plainQuery(query));
    if (!query.status && !query.sort) filter.status = 'open'; // customers at risk now, unless asked otherwise
    const list = parseListQuery(query, WARNINGS_LIST);
    // staff type the partner's code (typedPartnerCode), a link may still carry partnerId
    const partner = staff ? await this.retention.partnerOfFilter(typedPartnerCode(query), filter.partnerId) : null;
    if (partner) filter.partnerId = partner.id;
    if (query.format === 'xlsx') {
      const all = await this.retention.page(actor, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      await this.sendList(req, res, all.rows, filter, staff);
      return;
    }
    const { rows, total } = await this.retention.page(actor, filter, list);
    res.render('retention/list', {
      title: staff ? 'retention:list.title' : 'retention:list.myTitle', rows, filter, list, path, staff, causes: WARNING_CAUSES,
      options: staff ? await this.retention.filterOptions() : null, byRegion: staff ? await this.retention.byRegion(actor) : null,
      partnerText: partner?.code ?? '', conf: staff ? await this.retention.settings() : null, canEdit: actor.role === 'admin',
      lastPeriod: previousPeriod(periodOfDate(todayIso()).code).code, pager: buildPager(total, list, path, query),
    });
  }

  private async sendList(req: Request, res: Response, rows: WarningRow[], filter: WarningFilter, staff: boolean): Promise<void> {
    const title = req.t(staff ? 'retention:list.title' : 'retention:list.myTitle');
    const filters: [string, string][] = [];
    if (filter.status) filters.push([req.t('retention:filter.status'), req.t(`retention:status.${filter.status}`)]);
    if (filter.cause) filters.push([req.t('retention:filter.cause'), req.t(`retention:cause.${filter.cause}`)]);
    if (filter.region) filters.push([req.t('retention:filter.region'), filter.region]);
    const columns: XlsxColumn[] = [
      { header: req.t('retention:col.id'), key: 'id', kind: 'number', width: 8 },
      { header: req.t('retention:col.raisedAt'), key: 'raisedAt', kind: 'datetime', width: 18 },
      { header: req.t('retention:col.customer'), key: 'customerText', width: 30 },
      { header: req.t('retention:col.region'), key: 'region', width: 10 },
      ...(staff ? [{ header: req.t('retention:col.holder'), key: 'holderText', width: 30 }] : []),
      { header: req.t('retention:col.cause'), key: 'causeText', width: 18 },
      { header: req.t('retention:col.dueOn'), key: 'dueOn', kind: 'date', width: 12 },
      { header: req.t('retention:col.status'), key: 'statusText', width: 10 },
      { header: req.t('retention:col.outcome'), key: 'outcomeText', width: 10 },
      { header: req.t('retention:col.reason'), key: 'outcomeReason', width: 40 },
    ];
    await sendXlsx(res, `${title}.xlsx`, {
      title, exportedAtLabel: req.t('common:list.exportedAt'), filters, columns,
      rows: rows.map((r) => ({
        ...r, customerText: `${r.customerCode} ${r.customerName}`, holderText: r.partnerCode ? `${r.partnerCode} ${r.partnerName}` : r.managerName ?? '',
        causeText: req.t(`retention:cause.${r.cause}`), statusText: req.t(`retention:status.${r.status}`), outcomeText: r.outcome ? req.t(`retention:outcome.${r.outcome}`) : '',
      })),
    });
  }
}

/** Churn warnings as JSON: a partner user reads and closes only its own (404 otherwise). */
@ApiTags('retention')
@Controller('api/retention')
export class RetentionApiController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @Roles('admin', 'channel_manager', 'partner')
  async list(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>) {
    const list = parseListQuery(q, WARNINGS_LIST);
    const { rows, total } = await this.retention.page(actor, parseWarningFilter(plainQuery(q)), list);
    return { total, page: list.page, size: list.size, rows };
  }

  @Get('settings')
  @Roles('admin', 'channel_manager')
  settings() {
    return this.retention.settings();
  }

  @Put('settings')
  @Roles('admin')
  saveSettings(@CurrentUser() actor: Actor, @Body() dto: RetentionSettingsDto) {
    return this.retention.saveSettings(actor, dto);
  }

  @Post('evaluate')
  @Roles('admin', 'channel_manager')
  evaluate(@CurrentUser() actor: Actor, @Body() dto: RetentionEvaluateDto) {
    return this.retention.evaluateAccruals(actor, dto.period);
  }

  @Get(':id')
  @Roles('admin', 'channel_manager', 'partner')
  get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.retention.getForActor(actor, id);
  }

  @Post(':id/close')
  @Roles('admin', 'channel_manager', 'partner')
  close(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CloseWarningDto) {
    return this.retention.close(actor, id, dto);
  }
}
