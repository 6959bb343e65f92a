import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx, XlsxColumn } from '../../core/export/xlsx.util';
import { todayIso } from '../../core/period/period.util';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { resolvePartnerFilter } from '../../core/web/partner-filter';
import { PartnersService } from '../partners/partners.service';
import { kindNameRef } from './violation-labels';
import { ViolationKind } from './violation.entity';
import { RecordViolationDto, RespondViolationDto, ViolationKindDto, ViolationSettingDto, VoidViolationDto } from './violations.dto';
import { parseViolationFilter, ViolationFilter, ViolationRow, VIOLATIONS_LIST, ViolationsService } from './violations.service';

const XLSX_MAX_ROWS = 100_000;

/** Kinds with the name a page shows (`nameRef`: a catalogue key for the seeded kinds). */
const named = (kinds: ViolationKind[]) => kinds.map((k) => ({ ...k, nameRef: kindNameRef(k.code, k.name) }));

/** Catalogue of kinds and the response window (declared before /violations/:id so "kinds" is not read as an id). */
@ApiExcludeController()
@Controller('violations/kinds')
export class ViolationKindsPagesController {
  constructor(private readonly violations: ViolationsService) {}

  @Get()
  @Roles('admin', 'channel_manager')
  @Render('violations/kinds')
  async page(@CurrentUser() actor: Actor) {
    return { title: 'violations:kinds.title', kinds: named(await this.violations.kinds()), responseDays: await this.violations.responseDays(), canEdit: actor.role === 'admin' };
  }

  @Post()
  @Roles('admin')
  async create(@CurrentUser() actor: Actor, @Body() dto: ViolationKindDto, @Req() req: Request, @Res() res: Response) {
    const k = await this.violations.createKind(actor, dto);
    req.flash('success', 'violations:flash.kindAdded', { code: k.code });
    res.redirect(303, '/violations/kinds');
  }

  @Post('settings')
  @Roles('admin')
  async settings(@CurrentUser() actor: Actor, @Body() dto: ViolationSettingDto, @Req() req: Request, @Res() res: Response) {
    await this.violations.setResponseDays(actor, dto.responseDays);
    req.flash('success', 'violations:flash.windowSaved', { count: dto.responseDays });
    res.redirect(303, '/violations/kinds');
  }

  @Post(':id')
  @Roles('admin')
  async update(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ViolationKindDto, @Req() req: Request, @Res() res: Response) {
    const k = await this.violations.updateKind(actor, id, { ...dto, active: dto.active ?? false });
    req.flash('success', 'violations:flash.kindSaved', { code: k.code });
    res.redirect(303, '/violations/kinds');
  }
}

@ApiExcludeController()
@Controller()
export class ViolationsPagesController {
  constructor(private readonly violations: ViolationsService, private readonly partners: PartnersService) {}

  /** The register: filter, sort by column, numbered pages, and the same list as Excel (`?format=xlsx`). */
  @Get('violations')
  @Roles('admin', 'channel_manager')
  async register(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filter = parseViolationFilter(plainQuery(query));
    const list = parseListQuery(query, VIOLATIONS_LIST);
    // the partner is typed as its code (see resolvePartnerFilter), not picked from every partner
    const { typed, partner } = await resolvePartnerFilter(query, filter, { byCode: (c) => this.partners.findByCode(c), byId: (id) => this.partners.findById(id) });
    const kinds = await this.violations.kinds();
    if (query.format === 'xlsx') {
      const all = await this.violations.page(actor, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      const kind = kinds.find((k) => k.id === filter.kindId);
      await this.sendList(req, res, req.t('violations:register.title'), all.rows, filter, { partner: partner ? `${partner.code} ${partner.name}` : undefined, kind: kind ? req.t(kindNameRef(kind.code, kind.name)) : undefined }, true);
      return;
    }
    const { rows, total } = await this.violations.page(actor, filter, list);
    res.render('violations/register', {
      title: 'violations:register.title', rows, kinds: named(kinds), partnerText: partner?.code ?? typed, filter, list,
      pager: buildPager(total, list, '/violations', query),
    });
  }

  @Get('violations/new')
  @Roles('admin', 'channel_manager')
  @Render('violations/new')
  async newForm(@Query() query: Record<string, unknown>) {
    // another page may open the form prefilled (e.g. a service record not confirmed in verification); only a default
    const q = plainQuery(query);
    const prefill = {
      customerId: /^\d{1,9}$/.test(q.customerId ?? '') ? q.customerId : '',
      occurredOn: /^\d{4}-\d{2}-\d{2}$/.test(q.occurredOn ?? '') ? q.occurredOn : '',
      description: (q.description ?? '').slice(0, 4000),
    };
    return {
      title: 'violations:new.title', kinds: named(await this.violations.kinds({ activeOnly: true })),
      partners: await this.partners.listByStatus(['active', 'suspended', 'exiting']), partnerId: Number(q.partnerId) || null, today: todayIso(), prefill,
    };
  }

  @Post('violations')
  @Roles('admin', 'channel_manager')
  async create(@CurrentUser() actor: Actor, @Body() dto: RecordViolationDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.violations.record(actor, dto);
    req.flash('success', 'violations:flash.recorded', { id: v.id, date: v.responseDueOn });
    res.redirect(303, `/violations/${v.id}`);
  }

  @Get('violations/:id')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('violations/detail')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const v = await this.violations.getForActor(actor, id);
    return { title: req.t('violations:detail.title', { id: v.id }), v, canVoid: v.status === 'recorded' && actor.role !== 'finance' };
  }

  @Post('violations/:id/void')
  @Roles('admin', 'channel_manager')
  async void(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VoidViolationDto, @Req() req: Request, @Res() res: Response) {
    await this.violations.voidViolation(actor, id, dto.reason);
    req.flash('success', 'violations:flash.voided', { id });
    res.redirect(303, `/violations/${id}`);
  }

  /** The partner's own violations: filter by status and severity, sort, pages, Excel. */
  @Get('my/violations')
  @Roles('partner')
  async mine(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { status, severity } = parseViolationFilter(plainQuery(query));
    const filter: ViolationFilter = { status, severity };
    const list = parseListQuery(query, VIOLATIONS_LIST);
    if (query.format === 'xlsx') {
      const all = await this.violations.page(actor, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      await this.sendList(req, res, req.t('violations:my.xlsxTitle'), all.rows, filter, {}, false);
      return;
    }
    const { rows, total } = await this.violations.page(actor, filter, list);
    res.render('my/violations', { title: 'violations:my.title', rows, filter, list, pager: buildPager(total, list, '/my/violations', query) });
  }

  @Get('my/violations/:id')
  @Roles('partner')
  @Render('my/violations-detail')
  async myDetail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const v = await this.violations.getForActor(actor, id);
    return { title: req.t('violations:detail.title', { id: v.id }), v };
  }

  @Post('my/violations/:id/respond')
  @Roles('partner')
  async respond(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: RespondViolationDto, @Req() req: Request, @Res() res: Response) {
    await this.violations.respond(actor, id, dto.response);
    req.flash('success', 'violations:flash.responded');
    res.redirect(303, `/my/violations/${id}`);
  }

  /** A violation list as Excel with headers and code values in the reader's language. */
  private async sendList(req: Request, res: Response, title: string, rows: ViolationRow[], filter: ViolationFilter,
    names: { partner?: string; kind?: string }, staff: boolean): Promise<void> {
    const filters: [string, string][] = [];
    if (names.partner) filters.push([req.t('violations:filter.partner'), names.partner]);
    if (names.kind) filters.push([req.t('violations:filter.kind'), names.kind]);
    if (filter.severity) filters.push([req.t('violations:filter.severity'), req.t(`violations:severity.${filter.severity}`)]);
    if (filter.status) filters.push([req.t('violations:filter.status'), req.t(`violations:status.${filter.status}`)]);
    if (filter.from) filters.push([req.t('violations:filter.from'), filter.from]);
    if (filter.to) filters.push([req.t('violations:filter.to'), filter.to]);
    const columns: XlsxColumn[] = [
      { header: req.t('violations:col.id'), key: 'id', kind: 'number', width: 8 },
      { header: req.t('violations:col.occurredOn'), key: 'occurredOn', kind: 'date', width: 12 },
      ...(staff ? [
        { header: req.t('violations:col.partnerCode'), key: 'partnerCode', width: 14 },
        { header: req.t('violations:col.partnerName'), key: 'partnerName', width: 30 },
      ] : []),
      { header: req.t('violations:col.kind'), key: 'kindText', width: 24 },
      { header: req.t('violations:col.severity'), key: 'severityText', width: 12 },
      { header: req.t('violations:col.points'), key: 'scoreDeduction', kind: 'number', width: 8 },
      { header: req.t('violations:col.penalty'), key: 'penaltyAmount', kind: 'money', width: 12 },
      ...(staff ? [{ header: req.t('violations:col.customer'), key: 'customerId', width: 10 }] : []),
      { header: req.t('violations:col.responseDueOn'), key: 'responseDueOn', kind: 'date', width: 12 },
      { header: req.t(staff ? 'violations:col.response' : 'violations:col.yourResponse'), key: 'partnerResponse', width: 40 },
      { header: req.t('violations:col.status'), key: 'statusText', width: 10 },
      { header: req.t('violations:col.description'), key: 'description', width: 40 },
    ];
    await sendXlsx(res, `${title}.xlsx`, {
      title, exportedAtLabel: req.t('common:list.exportedAt'), filters, columns,
      rows: rows.map((r) => ({
        ...r, kindText: req.t(r.kindNameRef), severityText: req.t(`violations:severity.${r.severity}`), statusText: req.t(`violations:status.${r.status}`),
      })),
    });
  }
}
