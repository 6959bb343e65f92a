import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx } from '../../core/export/xlsx.util';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { resolvePartnerFilter } from '../../core/web/partner-filter';
import { CustomersService } from '../customers/customers.service';
import { PartnersService } from '../partners/partners.service';
import { AnswerSupportRequestDto, CreateSupportRequestDto, RateSupportRequestDto } from './support.dto';
import { parseSupportFilter, SUPPORT_LIST, SupportFilter, SupportRow, SupportService } from './support.service';
import { SUPPORT_KINDS, SUPPORT_STATUSES } from './support.util';

const XLSX_MAX_ROWS = 100_000;

/** Staff queue and detail with the answer form; the partner's own requests under /my/support. */
@ApiExcludeController()
@Controller()
export class SupportPagesController {
  constructor(private readonly support: SupportService, private readonly partners: PartnersService, private readonly customers: CustomersService) {}

  @Get('support')
  @Roles('admin', 'channel_manager')
  async queue(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filter = parseSupportFilter(plainQuery(query));
    const list = parseListQuery(query, SUPPORT_LIST);
    // the partner is typed as its code (see resolvePartnerFilter), not picked from every partner
    const { typed, partner } = await resolvePartnerFilter(query, filter, { byCode: (c) => this.partners.findByCode(c), byId: (id) => this.partners.findById(id) });
    if (query.format === 'xlsx') return this.sendList(req, res, (await this.support.page(actor, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS })).rows, filter, true);
    const { rows, total } = await this.support.page(actor, filter, list);
    const partnerText = partner?.code ?? typed;
    res.render('support/queue', {
      title: 'support:queue.title', rows, filter, list, partnerText, kinds: SUPPORT_KINDS, statuses: SUPPORT_STATUSES,
      pager: buildPager(total, list, '/support', query),
    });
  }

  @Get('support/:id')
  @Roles('admin', 'channel_manager')
  @Render('support/detail')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const r = await this.support.getForActor(actor, id);
    return { title: req.t('support:detail.title', { id }), r, canAnswer: r.status !== 'closed' };
  }

  @Post('support/:id/answer')
  @Roles('admin', 'channel_manager')
  async answer(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: AnswerSupportRequestDto, @Req() req: Request, @Res() res: Response) {
    await this.support.answer(actor, id, dto.answer);
    req.flash('success', 'support:flash.answered', { id });
    res.redirect(303, `/support/${id}`);
  }

  @Get('my/support')
  @Roles('partner')
  async mine(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { status, kind } = parseSupportFilter(plainQuery(query));
    const filter: SupportFilter = { status, kind };
    const list = parseListQuery(query, { ...SUPPORT_LIST, defaultSort: 'createdAt', defaultDir: 'desc' });
    if (query.format === 'xlsx') return this.sendList(req, res, (await this.support.page(actor, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS })).rows, filter, false);
    const { rows, total } = await this.support.page(actor, filter, list);
    const policy = await this.policyOf(actor);
    res.render('support/mine', { title: 'support:mine.title', rows, filter, list, kinds: SUPPORT_KINDS, statuses: SUPPORT_STATUSES, policy, pager: buildPager(total, list, '/my/support', query) });
  }

  @Get('my/support/new')
  @Roles('partner')
  @Render('support/new')
  async newForm(@CurrentUser() actor: Actor) {
    return { title: 'support:new.title', kinds: SUPPORT_KINDS, customers: await this.customers.listCurrentByPartner(actor.partnerId!), policy: await this.policyOf(actor) };
  }

  @Post('my/support')
  @Roles('partner')
  async create(@CurrentUser() actor: Actor, @Body() dto: CreateSupportRequestDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.support.create(actor, dto);
    req.flash('success', 'support:flash.created', { id: r.id, hours: r.responseHours });
    res.redirect(303, `/my/support/${r.id}`);
  }

  @Get('my/support/:id')
  @Roles('partner')
  @Render('support/my-detail')
  async myDetail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const r = await this.support.getForActor(actor, id);
    return { title: req.t('support:detail.title', { id }), r, canRate: r.status === 'answered', ratings: [5, 4, 3, 2, 1] };
  }

  @Post('my/support/:id/rate')
  @Roles('partner')
  async rate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: RateSupportRequestDto, @Req() req: Request, @Res() res: Response) {
    await this.support.rate(actor, id, dto.rating, dto.comment);
    req.flash('success', 'support:flash.rated', { id });
    res.redirect(303, `/my/support/${id}`);
  }

  private async policyOf(actor: Actor) {
    const p = await this.partners.getById(actor.partnerId!);
    return p.tier ? this.partners.tierPolicy(p.tier) : null;
  }

  private async sendList(req: Request, res: Response, rows: SupportRow[], filter: SupportFilter, staff: boolean): Promise<void> {
    const filters: [string, string][] = [];
    if (filter.status) filters.push([req.t('support:filter.status'), req.t(`support:status.${filter.status}`)]);
    if (filter.kind) filters.push([req.t('support:filter.kind'), req.t(`support:kind.${filter.kind}`)]);
    if (filter.tier) filters.push([req.t('support:filter.tier'), filter.tier]);
    if (filter.overdue) filters.push([req.t('support:filter.overdue'), req.t('support:filter.overdueOnly')]);
    await sendXlsx(res, req.t(staff ? 'support:queue.title' : 'support:mine.title'), {
      title: req.t(staff ? 'support:queue.title' : 'support:mine.title'), filters, exportedAtLabel: req.t('common:list.exportedAt'),
      columns: [
        { header: req.t('support:col.id'), key: 'id', kind: 'number', width: 8 },
        ...(staff ? [{ header: req.t('support:col.partner'), key: 'partner', width: 30 }, { header: req.t('support:col.tier'), key: 'tier', width: 6 }] : []),
        { header: req.t('support:col.kind'), key: 'kindText', width: 16 },
        { header: req.t('support:col.subject'), key: 'subject', width: 40 },
        { header: req.t('support:col.createdAt'), key: 'createdAt', kind: 'datetime', width: 18 },
        { header: req.t('support:col.dueAt'), key: 'dueAt', kind: 'datetime', width: 18 },
        { header: req.t('support:col.status'), key: 'statusText', width: 10 },
        { header: req.t('support:col.answeredAt'), key: 'answeredAt', kind: 'datetime', width: 18 },
        { header: req.t('support:col.rating'), key: 'rating', kind: 'number', width: 8 },
      ],
      rows: rows.map((r) => ({ ...r, partner: `${r.partnerCode} ${r.partnerName}`, kindText: req.t(`support:kind.${r.kind}`), statusText: req.t(`support:status.${r.status}`) })),
    });
  }
}
