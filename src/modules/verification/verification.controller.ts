import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx, XlsxColumn } from '../../core/export/xlsx.util';
import { periodOfDate, previousPeriod, todayIso } from '../../core/period/period.util';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { DrawSampleDto, VerificationCorrectionDto, VerificationOutcomeDto } from './verification.dto';
import { VerificationCorrectionService } from './verification-correction.service';
import { DecisionResult, ItemFilter, ItemRow, ITEM_STATUSES, ITEMS_LIST, METHODS, OUTCOMES, parseItemFilter, VerificationService } from './verification.service';

const XLSX_MAX_ROWS = 100_000;

/** The flash message after an outcome: what happened to the duty items. */
function decisionFlash(r: DecisionResult): [string, Record<string, unknown>] {
  if (r.item.status === 'confirmed') return ['verification:flash.confirmed', { id: r.item.id }];
  if (r.quarterLocked) return ['verification:flash.notConfirmedLocked', { id: r.item.id, period: r.item.period }];
  if (!r.itemsUnticked) return ['verification:flash.notConfirmedNone', { id: r.item.id }];
  return ['verification:flash.notConfirmed', { id: r.item.id, n: r.itemsUnticked }];
}

/** The violation form, prefilled with the partner, customer, day and what the verification found. */
function violationLink(item: ItemRow, req: Request): string {
  const description = req.t('verification:detail.violationText', { record: item.recordId, customer: `${item.customerCode} ${item.customerName}`,
    type: req.t(`duties:recordType.${item.recordType}`), date: todayIso(new Date(item.occurredAt)), method: req.t(`verification:method.${item.method}`), note: item.note ?? '' });
  return `/violations/new?${new URLSearchParams({ partnerId: String(item.partnerId), customerId: String(item.customerId), occurredOn: todayIso(new Date(item.occurredAt)), description })}`;
}

/** Verification pages (channel managers, admins; the accuracy summary also for finance). Partners have none: 403. */
@ApiExcludeController()
@Controller('verification')
export class VerificationPagesController {
  constructor(private readonly verification: VerificationService, private readonly corrections: VerificationCorrectionService) {}

  @Get()
  @Roles('admin', 'channel_manager')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filter = parseItemFilter(plainQuery(query));
    if (!('status' in query)) filter.status = 'pending'; // the work still to do, unless asked otherwise
    const list = parseListQuery(query, ITEMS_LIST);
    if (query.format === 'xlsx') {
      const all = await this.verification.page(actor, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      await this.sendList(req, res, all.rows, filter);
      return;
    }
    const { rows, total } = await this.verification.page(actor, filter, list);
    res.render('verification/list', {
      title: 'verification:list.title', rows, filter, list, statuses: ITEM_STATUSES, options: await this.verification.filterOptions(actor),
      lastPeriod: previousPeriod(periodOfDate(todayIso()).code).code, rule: this.verification.rule(),
      pager: buildPager(total, list, '/verification', query),
    });
  }

  @Post('sample')
  @Roles('admin', 'channel_manager')
  async sample(@CurrentUser() actor: Actor, @Body() dto: DrawSampleDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.verification.draw(actor, dto.period, dto.partnerId ?? null);
    req.flash('success', 'verification:flash.drawn', { period: dto.period, ...r });
    res.redirect(303, `/verification?period=${dto.period}`);
  }

  @Get('accuracy')
  @Roles('admin', 'channel_manager', 'finance')
  async accuracy(@CurrentUser() actor: Actor, @Query('period') period: string | undefined, @Res() res: Response) {
    const chosen = typeof period === 'string' && /^\d{4}Q[1-4]$/.test(period) ? period : null;
    const options = await this.verification.filterOptions(actor);
    res.render('verification/accuracy', {
      title: 'verification:accuracy.title', period: chosen, periods: options.periods,
      rows: await this.verification.accuracyForActor(actor, chosen), canWork: actor.role !== 'finance',
    });
  }

  @Get(':id')
  @Roles('admin', 'channel_manager')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const item = await this.verification.get(actor, id);
    res.render('verification/detail', {
      title: req.t('verification:detail.title', { id }), item, outcomes: OUTCOMES, methods: METHODS, pending: item.status === 'pending',
      violationHref: item.status === 'not_confirmed' ? violationLink(item, req) : null,
    });
  }

  @Post(':id/outcome')
  @Roles('admin', 'channel_manager')
  async outcome(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VerificationOutcomeDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.verification.decide(actor, id, dto);
    const [key, params] = decisionFlash(r);
    req.flash(r.quarterLocked ? 'info' : 'success', key, params);
    res.redirect(303, `/verification/${id}`);
  }

  /** A decided outcome corrected, with the reason. */
  @Post(':id/correct')
  @Roles('admin', 'channel_manager')
  async correct(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VerificationCorrectionDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.corrections.correct(actor, id, dto);
    const [key, params] = decisionFlash(r);
    req.flash('success', 'verification:flash.corrected', { id });
    req.flash(r.quarterLocked ? 'info' : 'success', key, params);
    res.redirect(303, `/verification/${id}`);
  }

  private async sendList(req: Request, res: Response, rows: ItemRow[], filter: ItemFilter): Promise<void> {
    const title = req.t('verification:list.title');
    const filters: [string, string][] = [];
    if (filter.period) filters.push([req.t('verification:filter.period'), filter.period]);
    if (filter.partnerId) filters.push([req.t('verification:filter.partner'), String(rows[0]?.partnerCode ?? filter.partnerId)]);
    if (filter.status) filters.push([req.t('verification:filter.status'), req.t(`verification:status.${filter.status}`)]);
    const columns: XlsxColumn[] = [
      { header: req.t('verification:col.id'), key: 'id', kind: 'number', width: 8 },
      { header: req.t('verification:col.period'), key: 'period', width: 10 },
      { header: req.t('verification:col.partner'), key: 'partnerText', width: 30 },
      { header: req.t('verification:col.customer'), key: 'customerText', width: 30 },
      { header: req.t('verification:col.type'), key: 'typeText', width: 16 },
      { header: req.t('verification:col.occurredAt'), key: 'occurredAt', kind: 'datetime', width: 18 },
      { header: req.t('verification:col.status'), key: 'statusText', width: 10 },
      { header: req.t('verification:col.method'), key: 'methodText', width: 10 },
      { header: req.t('verification:col.note'), key: 'note', width: 40 },
      { header: req.t('verification:col.verifiedAt'), key: 'verifiedAt', kind: 'datetime', width: 18 },
    ];
    await sendXlsx(res, `${title}.xlsx`, {
      title, exportedAtLabel: req.t('common:list.exportedAt'), filters, columns,
      rows: rows.map((r) => ({
        ...r, partnerText: `${r.partnerCode} ${r.partnerName}`, customerText: `${r.customerCode} ${r.customerName}`,
        typeText: req.t(`duties:recordType.${r.recordType}`), statusText: req.t(`verification:status.${r.status}`),
        methodText: r.method ? req.t(`verification:method.${r.method}`) : '', note: r.note ?? '',
      })),
    });
  }
}

/** Verification as JSON (OpenAPI). Partner users: 403 on every route. */
@ApiTags('verification')
@Controller('api/verification')
export class VerificationApiController {
  constructor(private readonly verification: VerificationService, private readonly corrections: VerificationCorrectionService) {}

  @Get()
  @Roles('admin', 'channel_manager')
  async list(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>) {
    const list = parseListQuery(q, ITEMS_LIST);
    const { rows, total } = await this.verification.page(actor, parseItemFilter(plainQuery(q)), list);
    return { total, page: list.page, size: list.size, rows };
  }

  @Post('sample')
  @Roles('admin', 'channel_manager')
  sample(@CurrentUser() actor: Actor, @Body() dto: DrawSampleDto) {
    return this.verification.draw(actor, dto.period, dto.partnerId ?? null);
  }

  @Get('accuracy')
  @Roles('admin', 'channel_manager', 'finance')
  accuracy(@CurrentUser() actor: Actor, @Query('period') period?: string) {
    return this.verification.accuracyForActor(actor, typeof period === 'string' && period ? period : null);
  }

  @Get(':id')
  @Roles('admin', 'channel_manager')
  get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.verification.get(actor, id);
  }

  @Post(':id/outcome')
  @Roles('admin', 'channel_manager')
  async outcome(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VerificationOutcomeDto) {
    const r = await this.verification.decide(actor, id, dto);
    return { ...r.item, itemsUnticked: r.itemsUnticked, quarterLocked: r.quarterLocked };
  }

  @Post(':id/correct')
  @Roles('admin', 'channel_manager')
  async correct(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VerificationCorrectionDto) {
    const r = await this.corrections.correct(actor, id, dto);
    return { ...r.item, itemsUnticked: r.itemsUnticked, quarterLocked: r.quarterLocked };
  }
}
