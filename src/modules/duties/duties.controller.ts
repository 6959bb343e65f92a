import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx } from '../../core/export/xlsx.util';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { RegionsService } from '../regions/regions.service';
import { RECORD_TYPES } from './duty-rules.util';
import { DutiesService } from './duties.service';
import { dutyLabel, DutyViewsService, OVERDUE_LIST, parseItemQuery } from './duty-views.service';
import { LockDto, PeriodDto, RecordLagDto, UnlockDto, UpdateTemplateDto } from './dto/duties.dto';
import { JobWork } from '../../core/jobs/job-work.service';
import { parsePeriod } from '../../core/period/period.util';
import { DUTIES_GENERATE_JOB } from './duties.jobs';

const XLSX_MAX_ROWS = 100_000;
const COMPLETION_PAGE = 50;

/** Prev/next links of the partner completion table (no total: counting every partner is what made the page slow). */
function completionPager(query: Record<string, unknown>, page: number, hasNext: boolean) {
  const href = (n: number) => {
    const q = new URLSearchParams(plainQuery(query));
    if (n > 1) q.set('cpage', String(n)); else q.delete('cpage');
    const s = q.toString();
    return `/duties${s ? `?${s}` : ''}#completion`;
  };
  return { page, prevHref: page > 1 ? href(page - 1) : null, nextHref: hasNext ? href(page + 1) : null };
}
/** Channel manager pages: completion per partner, overdue items, generation, locks, alerts; admin: templates. */
@ApiExcludeController()
@Controller('duties')
export class DutiesController {
  constructor(private readonly duties: DutiesService, private readonly views: DutyViewsService, private readonly regions: RegionsService,
    private readonly work: JobWork, private readonly scope: RegionScopeService) {}

  /** Completion per partner for a quarter, and the overdue items (filter, sort, pages, `?format=xlsx`). */
  @Get()
  @Roles('admin', 'channel_manager')
  async overview(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const today = todayIso();
    const parsed = parseItemQuery(query);
    const period = parsed.period ?? periodOfDate(today).code;
    const filters = parsed.filters;
    filters.scope = await this.scope.forActor(actor); // a scoped channel manager sees the items of their regions' customers
    if (filters.region) filters.region = (await this.regions.matcher())(filters.region) ?? filters.region;
    const list = parseListQuery(query, OVERDUE_LIST);
    // the partner is typed (code or name), not picked from a list of every partner (10,000 options made the page slow)
    const typed = typeof query.partner === 'string' ? query.partner.trim().slice(0, 100) : '';
    const partner = typed ? await this.views.partnerByCodeOrName(typed) : filters.partnerId ? await this.views.partnerById(filters.partnerId) : null;
    if (typed) filters.partnerId = partner?.id ?? -1; // an unknown partner matches nothing
    if (query.format === 'xlsx') {
      const all = await this.views.overduePage(today, filters, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      const f: [string, string][] = [[req.t('duties:overview.asOf'), today]];
      if (filters.region) f.push([req.t('duties:col.region'), filters.region]);
      if (filters.customerClass) f.push([req.t('duties:col.class'), filters.customerClass]);
      if (filters.partnerId) f.push([req.t('duties:col.partner'), partner ? `${partner.code} ${partner.name}` : typed || String(filters.partnerId)]);
      await sendXlsx(res, `${req.t('duties:overview.overdueTitle')}.xlsx`, {
        title: req.t('duties:overview.overdueTitle'), exportedAtLabel: req.t('common:list.exportedAt'), filters: f,
        columns: [
          { header: req.t('duties:col.due'), key: 'dueDate', kind: 'date', width: 12 },
          { header: req.t('duties:col.period'), key: 'period', width: 10 },
          { header: req.t('duties:col.partner'), key: 'partner', width: 30 },
          { header: req.t('duties:col.customerCode'), key: 'customerCode', width: 14 },
          { header: req.t('duties:col.customer'), key: 'customerName', width: 30 },
          { header: req.t('duties:col.class'), key: 'customerClass', width: 10 },
          { header: req.t('duties:col.region'), key: 'region', width: 12 },
          { header: req.t('duties:col.duty'), key: 'duty', width: 16 },
          { header: req.t('duties:col.required'), key: 'requiredCount', kind: 'number', width: 10 },
          { header: req.t('duties:col.fulfilled'), key: 'fulfilledCount', kind: 'number', width: 10 },
        ],
        rows: all.rows.map((r: Record<string, unknown>) => ({
          ...r, duty: dutyLabel(req.lang, r), partner: r.partnerCode ? `${r.partnerCode} ${r.partnerName ?? ''}` : req.t('glossary:channelManager'),
        })),
      });
      return;
    }
    // partners are paged on their own (`cpage`, prev/next): 10,000 of them were one 4-second page
    const cpage = /^\d{1,6}$/.test(String(query.cpage ?? '')) ? Math.max(1, Number(query.cpage)) : 1;
    const [completion, overdue, alerts, locks, regions] = await Promise.all([
      this.views.partnerCompletionPage(period, filters, today, { offset: (cpage - 1) * COMPLETION_PAGE, size: COMPLETION_PAGE }), this.views.overduePage(today, filters, list),
      this.views.openAlertCount(null, filters.scope ?? null), this.duties.lockedPeriods(), this.regions.tree(),
    ]);
    res.render('duties/overview', {
      title: 'duties:overview.title', period, filters, partners: completion.rows, completionPager: completionPager(query, cpage, completion.hasNext), overdue: overdue.rows.map((r: Record<string, unknown>) => ({ ...r, dutyLabel: dutyLabel(req.lang, r) })),
      alerts, locks, locked: locks.some((l) => l.period === period), regions, partnerText: partner?.code ?? typed, classes: ['A', 'B', 'C'], today,
      list, pager: buildPager(overdue.total, list, '/duties', query),
    });
  }

  @Post('generate')
  @Roles('admin', 'channel_manager')
  async generate(@CurrentUser() actor: Actor, @Body() dto: PeriodDto, @Res() res: Response) {
    parsePeriod(dto.period);
    res.redirect(303, `/jobs/${await this.work.start(DUTIES_GENERATE_JOB, actor, { period: dto.period })}`);
  }

  @Post('lock')
  @Roles('admin', 'channel_manager')
  async lock(@CurrentUser() actor: Actor, @Body() dto: LockDto, @Req() req: Request, @Res() res: Response) {
    const locked = await this.duties.lockQuarter(actor, dto.period, dto.reason ?? '');
    req.flash(locked ? 'success' : 'info', locked ? 'duties:flash.locked' : 'duties:flash.alreadyLocked', { period: dto.period });
    res.redirect(303, `/duties?period=${dto.period}`);
  }

  @Post('unlock')
  @Roles('admin')
  async unlock(@CurrentUser() actor: Actor, @Body() dto: UnlockDto, @Req() req: Request, @Res() res: Response) {
    const reopened = await this.duties.unlockQuarter(actor, dto.period, dto.reason);
    req.flash(reopened ? 'success' : 'info', reopened ? 'duties:flash.reopened' : 'duties:flash.notLocked', { period: dto.period });
    res.redirect(303, `/duties?period=${dto.period}`);
  }

  @Post('alerts')
  @Roles('admin', 'channel_manager')
  async alerts(@CurrentUser() actor: Actor, @Req() req: Request, @Res() res: Response) {
    const r = await this.duties.raiseOverdueAlerts(actor);
    req.flash('success', 'duties:flash.alerts', { created: r.created, overdue: r.overdue });
    res.redirect(303, '/duties');
  }

  @Get('templates')
  @Roles('admin', 'channel_manager')
  @Render('duties/templates')
  async templates(@CurrentUser() actor: Actor, @Req() req: Request) {
    const templates = (await this.views.templates()).map((t) => ({ ...t, label: dutyLabel(req.lang, t) }));
    return { title: 'duties:templates.title', templates, recordTypes: RECORD_TYPES, lag: await this.views.recordLagHours(), canEdit: actor.role === 'admin' };
  }

  @Post('templates/:id')
  @Roles('admin')
  async updateTemplate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateTemplateDto, @Req() req: Request, @Res() res: Response) {
    const { _csrf, ...patch } = dto;
    const t = await this.views.updateTemplate(actor, id, patch);
    req.flash('success', 'duties:flash.templateSaved', { stage: req.t(`customers:stage.${t.stage}`), duty: dutyLabel(req.lang, t) });
    res.redirect(303, '/duties/templates');
  }

  @Post('settings')
  @Roles('admin')
  async settings(@CurrentUser() actor: Actor, @Body() dto: RecordLagDto, @Req() req: Request, @Res() res: Response) {
    await this.views.setRecordLag(actor, dto.recordEntryLagHours);
    req.flash('success', 'duties:flash.lagSaved', { hours: dto.recordEntryLagHours });
    res.redirect(303, '/duties/templates');
  }
}
