import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { contentDisposition, sendXlsx } from '../../core/export/xlsx.util';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { Roles } from '../../core/auth/roles.decorator';
import { buildPager, parseListQuery } from '../../core/web/list-query';
import { recentPeriods } from '../../core/web/home.controller';
import { REPORT_KEYS, ReportKey, REPORTS } from './report-defs';
import { parseReportFilter, STAGE_CODES, TIER_CODES } from './report-filter.util';
import { ReportsService } from './reports.service';

/**
 * The reports page and each report: filter, sort by column, numbered pages, and the same selection as .xlsx or CSV.
 * A channel manager with regions sees the partners of those regions only (#17).
 */
@ApiExcludeController()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService, private readonly regionScope: RegionScopeService) {}

  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  index(@Res() res: Response) {
    res.render('reports/index', { title: 'reports:title', reports: REPORT_KEYS.map((k) => ({ key: k, title: REPORTS[k].title, about: `reports:${k}.about` })) });
  }

  @Get('ranking') @Roles('admin', 'channel_manager', 'finance')
  ranking(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) { return this.show(actor, 'ranking', q, req, res); }

  @Get('cost') @Roles('admin', 'channel_manager', 'finance')
  cost(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) { return this.show(actor, 'cost', q, req, res); }

  @Get('duties') @Roles('admin', 'channel_manager', 'finance')
  duties(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) { return this.show(actor, 'duties', q, req, res); }

  @Get('violations') @Roles('admin', 'channel_manager', 'finance')
  violations(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) { return this.show(actor, 'violations', q, req, res); }

  @Get('complaints') @Roles('admin', 'channel_manager', 'finance')
  complaints(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response) { return this.show(actor, 'complaints', q, req, res); }

  private async show(actor: Actor, key: ReportKey, query: Record<string, unknown>, req: Request, res: Response) {
    const def = REPORTS[key];
    const scope = await this.regionScope.forActor(actor);
    const filter = { ...parseReportFilter(query, def.filters, undefined, { closedRange: def.closedRange }), scope };
    let list = parseListQuery(query, def.list);
    const t = (k: string, p?: Record<string, unknown>) => req.t(k, p);
    if (query.format === 'xlsx' || query.format === 'csv') {
      const rows = await this.reports.all(def, filter, list);
      const name = `${t(def.title)}-${def.filters.includes('period') ? filter.period : `${filter.from}-${filter.to}`}`;
      if (query.format === 'xlsx') return sendXlsx(res, name, this.reports.xlsx(def, filter, rows, t));
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', contentDisposition(`${name}.csv`));
      res.send(this.reports.csv(def, rows, t));
      return;
    }
    let { rows, total } = await this.reports.page(def, filter, list);
    const last = Math.max(1, Math.ceil(total / list.size));
    // a page past the end (an old link after a filter change) shows the last page
    if (!rows.length && list.page > last) ({ rows, total } = await this.reports.page(def, filter, (list = { ...list, page: last, offset: (last - 1) * list.size })));
    const pager = buildPager(total, list, `/reports/${key}`, query);
    res.render('reports/report', {
      title: def.title, key, def, filter, list, pager, csvHref: pager.xlsxHref.replace('format=xlsx', 'format=csv'),
      has: Object.fromEntries(def.filters.map((f) => [f, true])),
      periods: recentPeriods(12), regions: (await this.reports.prefectures()).filter((r) => !scope || scope.includes(r)), tiers: TIER_CODES, stages: STAGE_CODES,
      rows: rows.map((r) => ({ partnerId: def.partnerLink ? r.partner_id : null, cells: def.columns.map((c) => ({ key: c.key, value: this.reports.cellText(def, c.key, r, t), kind: c.kind, label: c.label })) })),
    });
  }
}
