import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx, XlsxColumn } from '../../core/export/xlsx.util';
import { JobWork } from '../../core/jobs/job-work.service';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { uploadInterceptor } from '../../core/web/upload';
import { COMPLAINTS_LIST, ComplaintFilter, ComplaintRow, parseComplaintFilter } from './complaint-list';
import { canAct, COMPLAINT_CATEGORIES, COMPLAINT_KINDS, COMPLAINT_STATUSES, SATISFACTIONS } from './complaint-rules.util';
import { COMPLAINT_CSV_COLUMNS } from './complaint-import.service';
import { ComplaintTimelinessService } from './complaint-timeliness.service';
import { ComplaintSettingsDto, EmptyFormDto, EscalateComplaintDto, OpenComplaintDto, ResolveComplaintDto, VisitComplaintDto } from './complaints.dto';
import { COMPLAINTS_IMPORT_JOB } from './complaints.jobs';
import { ComplaintsService } from './complaints.service';

const XLSX_MAX_ROWS = 100_000;
const STAFF = ['admin', 'channel_manager'] as const;

/** Work-order pages: staff under /complaints, the partner's own under /my/complaints; actions post to /complaints/:id/…. */
@ApiExcludeController()
@Controller()
export class ComplaintsPagesController {
  constructor(private readonly complaints: ComplaintsService, private readonly timeliness: ComplaintTimelinessService, private readonly work: JobWork) {}

  @Get('complaints')
  @Roles(...STAFF)
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    await this.renderList(actor, query, req, res, '/complaints', 'complaints/list');
  }

  @Get('my/complaints')
  @Roles('partner')
  async mine(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    await this.renderList(actor, query, req, res, '/my/complaints', 'complaints/list');
  }

  @Get('complaints/new')
  @Roles(...STAFF)
  @Render('complaints/new')
  async newForm(@CurrentUser() actor: Actor, @Query('customerId') customerId?: string) {
    return this.formModel(actor, '/complaints', customerId);
  }

  @Get('my/complaints/new')
  @Roles('partner')
  @Render('complaints/new')
  async myNewForm(@CurrentUser() actor: Actor, @Query('customerId') customerId?: string) {
    return this.formModel(actor, '/my/complaints', customerId);
  }

  @Post('complaints')
  @Roles(...STAFF)
  async create(@CurrentUser() actor: Actor, @Body() dto: OpenComplaintDto, @Req() req: Request, @Res() res: Response) {
    const o = await this.complaints.open(actor, dto);
    req.flash('success', 'complaints:flash.opened', { id: o.id });
    res.redirect(303, `/complaints/${o.id}`);
  }

  @Post('my/complaints')
  @Roles('partner')
  async createMine(@CurrentUser() actor: Actor, @Body() dto: OpenComplaintDto, @Req() req: Request, @Res() res: Response) {
    const o = await this.complaints.open(actor, dto);
    req.flash('success', 'complaints:flash.opened', { id: o.id });
    res.redirect(303, `/my/complaints/${o.id}`);
  }

  @Get('complaints/import')
  @Roles(...STAFF)
  @Render('complaints/import')
  importPage() {
    return { title: 'complaints:import.title', columns: COMPLAINT_CSV_COLUMNS.join(','), kinds: COMPLAINT_KINDS.join(', '), categories: COMPLAINT_CATEGORIES.join(', ') };
  }

  @Post('complaints/import')
  @Roles(...STAFF)
  @UseInterceptors(uploadInterceptor(10 * 1024 * 1024))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: { buffer: Buffer; originalname?: string } | undefined, @Res() res: Response) {
    if (!file) throw new RuleViolation('complaints:errors.chooseFile', 'file');
    res.redirect(303, `/jobs/${await this.work.start(COMPLAINTS_IMPORT_JOB, actor, {}, file)}`);
  }

  /** The complaint-timeliness indicator from the work orders, per partner and region, against the target. */
  @Get('complaints/timeliness')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('complaints/timeliness')
  async timelinessPage(@CurrentUser() actor: Actor, @Query('period') period?: string) {
    const settings = await this.complaints.settings();
    const p = period && /^\d{4}Q[1-4]$/.test(period) ? period : periodOfDate(todayIso()).code;
    return { title: 'complaints:timeliness.title', report: await this.timeliness.report(p, Number(settings.timelinessTarget)), conf: settings, canEdit: actor.role === 'admin' };
  }

  @Post('complaints/settings')
  @Roles('admin')
  async settings(@CurrentUser() actor: Actor, @Body() dto: ComplaintSettingsDto, @Req() req: Request, @Res() res: Response) {
    await this.complaints.saveSettings(actor, dto);
    req.flash('success', 'complaints:flash.settingsSaved');
    res.redirect(303, '/complaints/timeliness');
  }

  @Get('complaints/:id')
  @Roles('admin', 'channel_manager', 'finance')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    res.render('complaints/detail', await this.detailModel(actor, id, req));
  }

  @Get('my/complaints/:id')
  @Roles('partner')
  async myDetail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    res.render('complaints/detail', await this.detailModel(actor, id, req));
  }

  @Post('complaints/:id/start')
  @Roles('admin', 'channel_manager', 'partner')
  async start(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() _dto: EmptyFormDto, @Req() req: Request, @Res() res: Response) {
    await this.complaints.start(actor, id);
    this.back(actor, id, req, res, 'complaints:flash.started');
  }

  @Post('complaints/:id/resolve')
  @Roles('admin', 'channel_manager', 'partner')
  async resolve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ResolveComplaintDto, @Req() req: Request, @Res() res: Response) {
    await this.complaints.resolve(actor, id, dto);
    this.back(actor, id, req, res, 'complaints:flash.resolved');
  }

  @Post('complaints/:id/visit')
  @Roles('admin', 'channel_manager', 'partner')
  async visit(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VisitComplaintDto, @Req() req: Request, @Res() res: Response) {
    const o = await this.complaints.visit(actor, id, dto);
    this.back(actor, id, req, res, o.status === 'in_progress' ? 'complaints:flash.reopened' : 'complaints:flash.visited');
  }

  @Post('complaints/:id/escalate')
  @Roles('admin', 'channel_manager', 'partner')
  async escalate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: EscalateComplaintDto, @Req() req: Request, @Res() res: Response) {
    await this.complaints.escalate(actor, id, dto.reason);
    this.back(actor, id, req, res, 'complaints:flash.escalated');
  }

  @Post('complaints/:id/close')
  @Roles(...STAFF)
  async close(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() _dto: EmptyFormDto, @Req() req: Request, @Res() res: Response) {
    await this.complaints.close(actor, id);
    this.back(actor, id, req, res, 'complaints:flash.closed');
  }

  private back(actor: Actor, id: number, req: Request, res: Response, message: string): void {
    req.flash('success', message, { id });
    res.redirect(303, actor.role === 'partner' ? `/my/complaints/${id}` : `/complaints/${id}`);
  }

  private async formModel(actor: Actor, action: string, customerId?: string) {
    return {
      title: 'complaints:new.title', action, customers: await this.complaints.customerOptions(actor), customerId: Number(customerId) || null,
      kinds: COMPLAINT_KINDS, categories: COMPLAINT_CATEGORIES, now: localMinute(new Date()),
    };
  }

  private async detailModel(actor: Actor, id: number, req: Request) {
    const o = await this.complaints.getForActor(actor, id);
    const staff = actor.role === 'admin' || actor.role === 'channel_manager';
    const worker = staff || actor.role === 'partner';
    return {
      title: req.t('complaints:detail.title', { id }), o, history: await this.complaints.history(id), satisfactions: SATISFACTIONS,
      partnerView: actor.role === 'partner', back: actor.role === 'partner' ? '/my/complaints' : '/complaints',
      can: {
        start: worker && canAct(o.status, 'start'), resolve: worker && canAct(o.status, 'resolve'), visit: worker && canAct(o.status, 'visit'),
        escalate: worker && canAct(o.status, 'escalate', o.escalatedAt), close: staff && canAct(o.status, 'close'),
      },
    };
  }

  private async renderList(actor: Actor, query: Record<string, unknown>, req: Request, res: Response, path: string, view: string) {
    const filter = parseComplaintFilter(plainQuery(query));
    const list = parseListQuery(query, COMPLAINTS_LIST);
    const staff = actor.role !== 'partner';
    if (query.format === 'xlsx') {
      const all = await this.complaints.page(actor, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      await this.sendList(req, res, all.rows, filter, staff);
      return;
    }
    const { rows, total } = await this.complaints.page(actor, filter, list);
    res.render(view, {
      title: staff ? 'complaints:list.title' : 'complaints:list.myTitle', rows, filter, list, path, staff, newHref: `${path}/new`,
      statuses: COMPLAINT_STATUSES, categories: COMPLAINT_CATEGORIES, pager: buildPager(total, list, path, query),
    });
  }

  private async sendList(req: Request, res: Response, rows: ComplaintRow[], filter: ComplaintFilter, staff: boolean): Promise<void> {
    const title = req.t(staff ? 'complaints:list.title' : 'complaints:list.myTitle');
    const filters: [string, string][] = [];
    if (filter.status) filters.push([req.t('complaints:filter.status'), req.t(`complaints:status.${filter.status}`)]);
    if (filter.category) filters.push([req.t('complaints:filter.category'), req.t(`complaints:category.${filter.category}`)]);
    if (filter.customerClass) filters.push([req.t('complaints:filter.class'), filter.customerClass]);
    if (filter.region) filters.push([req.t('complaints:filter.region'), filter.region]);
    if (filter.escalated) filters.push([req.t('complaints:filter.escalated'), req.t('common:yesNo.yes')]);
    if (filter.overdue) filters.push([req.t('complaints:filter.overdue'), req.t('common:yesNo.yes')]);
    if (filter.q) filters.push([req.t('complaints:filter.q'), filter.q]);
    const columns: XlsxColumn[] = [
      { header: req.t('complaints:col.id'), key: 'id', kind: 'number', width: 8 },
      { header: req.t('complaints:col.receivedAt'), key: 'receivedAt', kind: 'datetime', width: 18 },
      { header: req.t('complaints:col.customer'), key: 'customerText', width: 30 },
      { header: req.t('complaints:col.class'), key: 'customerClass', width: 6 },
      { header: req.t('complaints:col.region'), key: 'region', width: 10 },
      ...(staff ? [{ header: req.t('complaints:col.partner'), key: 'partnerText', width: 30 }] : []),
      { header: req.t('complaints:col.kind'), key: 'kindText', width: 8 },
      { header: req.t('complaints:col.category'), key: 'categoryText', width: 12 },
      { header: req.t('complaints:col.dueAt'), key: 'dueAt', kind: 'datetime', width: 18 },
      { header: req.t('complaints:col.status'), key: 'statusText', width: 10 },
      { header: req.t('complaints:col.escalated'), key: 'escalatedAt', kind: 'datetime', width: 18 },
      { header: req.t('complaints:col.resolvedAt'), key: 'firstResolvedAt', kind: 'datetime', width: 18 },
      { header: req.t('complaints:col.onTime'), key: 'onTimeText', width: 8 },
      { header: req.t('complaints:col.satisfaction'), key: 'satisfactionText', width: 10 },
      { header: req.t('complaints:col.description'), key: 'description', width: 40 },
    ];
    await sendXlsx(res, `${title}.xlsx`, {
      title, exportedAtLabel: req.t('common:list.exportedAt'), filters, columns,
      rows: rows.map((r) => ({
        ...r, customerText: `${r.customerCode} ${r.customerName}`, partnerText: r.partnerCode ? `${r.partnerCode} ${r.partnerName}` : r.managerName ?? '',
        kindText: req.t(`complaints:kind.${r.kind}`), categoryText: req.t(`complaints:category.${r.category}`), statusText: req.t(`complaints:status.${r.status}`),
        onTimeText: r.onTime === null || r.onTime === undefined ? '' : req.t(r.onTime ? 'complaints:onTime.yes' : 'complaints:onTime.no'),
        satisfactionText: r.satisfaction ? req.t(`complaints:satisfaction.${r.satisfaction}`) : '',
      })),
    });
  }
}

/** The local (business time zone) minute, as a datetime-local input wants it. */
function localMinute(at: Date): string {
  return `${todayIso(at)}T${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}
