import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { sendXlsx } from '../../core/export/xlsx.util';
import { todayIso } from '../../core/period/period.util';
import { buildPager, parseListQuery } from '../../core/web/list-query';
import { RegionsService } from '../regions/regions.service';
import { BankChangeService } from './bank-change.service';
import { PartnerAccountsService, INVITABLE_STATUSES } from './partner-accounts.service';
import { PartnerDirectoryService } from './partner-directory.service';
import { PARTNER_LIST, PartnerListFilter, parsePartnerListFilter } from './partner-list.util';
import { PARTNER_STATUSES } from './partner-status.util';
import { COOPERATION_TYPES, TIERS } from './partner.entity';
import { InvitePartnerUserDto, PartnerReasonDto } from './partners.dto';
import { PartnersService } from './partners.service';
import { PartnerMasterDataService } from './partner-master-data.service';

const XLSX_MAX_ROWS = 100_000;

/** Partner register pages: list, detail with timeline, certificate, suspension and logins. */
@ApiExcludeController()
@Controller()
export class PartnersController {
  constructor(
    private readonly directory: PartnerDirectoryService, private readonly accounts: PartnerAccountsService, private readonly partners: PartnersService,
    private readonly regions: RegionsService, private readonly bankChanges: BankChangeService, private readonly masterData: PartnerMasterDataService,
    private readonly scope: RegionScopeService,
  ) {}

  @Get('partners')
  @Roles('admin', 'channel_manager', 'finance')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const parsed = parsePartnerListFilter(query ?? {});
    const tree = await this.regions.tree();
    // a prefecture chosen in the select covers its counties too
    const prefecture = tree.find((r) => r.name === parsed.region);
    const filter: PartnerListFilter = { scope: await this.scope.forActor(actor), status: parsed.status, tier: parsed.tier, type: parsed.type, q: parsed.q,
      ...(prefecture ? { regionIn: [prefecture.name, ...prefecture.counties.map((c) => c.name)] } : { region: parsed.region }) };
    const shown = { status: parsed.status, tier: parsed.tier, type: parsed.type, region: parsed.region, q: parsed.q };
    const list = parseListQuery(query, PARTNER_LIST);
    if (query?.format === 'xlsx') {
      const { rows } = await this.directory.page(filter, { ...list, offset: 0, size: XLSX_MAX_ROWS }, { withTotal: false });
      const title = req.t('partners:list.title');
      await sendXlsx(res, `${title}.xlsx`, {
        title, exportedAtLabel: req.t('common:list.exportedAt'),
        filters: Object.entries(shown).filter(([, v]) => v).map(([k, v]) => [req.t(`partners:filter.${k}`),
          k === 'status' ? req.t(`partners:status.${v}`) : k === 'type' ? req.t(`partners:type.${v}`) : String(v)]),
        columns: [
          { header: req.t('partners:col.code'), key: 'code', width: 14 },
          { header: req.t('partners:col.name'), key: 'name', width: 36 },
          { header: req.t('partners:col.creditCode'), key: 'creditCode', width: 22 },
          { header: req.t('partners:col.region'), key: 'region', width: 14 },
          { header: req.t('partners:col.type'), key: 'type', width: 14 },
          { header: req.t('partners:col.tier'), key: 'tier', width: 8 },
          { header: req.t('partners:col.status'), key: 'status', width: 12 },
          { header: req.t('partners:col.certification'), key: 'certificationId', width: 20 },
        ],
        rows: rows.map((r) => ({ ...r, type: req.t(`partners:type.${r.cooperationType}`), status: req.t(`partners:status.${r.status}`) })),
      });
      return;
    }
    const { rows, total } = await this.directory.page(filter, list);
    res.render('partners/list', {
      title: 'partners:list.title', items: rows, total, filter: shown, regions: tree, statuses: PARTNER_STATUSES, tiers: TIERS, types: COOPERATION_TYPES,
      list, pager: buildPager(total, list, '/partners', query ?? {}),
    });
  }

  @Get('my/partner')
  @Roles('partner')
  myPartner(@CurrentUser() actor: Actor, @Res() res: Response) {
    res.redirect(303, `/partners/${this.partners.assertIsPartnerUser(actor)}`);
  }

  @Get('partners/:id')
  @AnyRole()
  @Render('partners/detail')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const partner = await this.directory.detail(actor, id);
    const staff = actor.role !== 'partner';
    const [timeline, policy, logins] = await Promise.all([
      this.directory.timeline(actor, id),
      partner.tier ? this.partners.tierPolicy(partner.tier) : null,
      staff ? this.directory.logins(id) : [],
    ]);
    const manages = actor.role === 'admin' || actor.role === 'channel_manager';
    const bankChange = await this.bankChanges.pending(actor, id);
    const changes = await this.masterData.history(id);
    return {
      title: `${partner.code} ${partner.name}`, partner, timeline, policy, logins, staff, bankChange, changes, canEdit: manages,
      canDecideBank: !!bankChange && (actor.role === 'admin' || actor.role === 'finance') && bankChange.requestedBy !== actor.id,
      canSuspend: manages && partner.status === 'active', canReactivate: manages && partner.status === 'suspended',
      canInvite: manages && INVITABLE_STATUSES.includes(partner.status),
    };
  }

  @Get('partners/:id/certificate')
  @AnyRole()
  @Render('partners/certificate')
  async certificate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const partner = await this.directory.detail(actor, id);
    if (!partner.certificationId) throw new NotFoundException('partners:errors.noCertification');
    const validUntil = partner.certificateValidUntil ? String(partner.certificateValidUntil).slice(0, 10) : null;
    return { title: req.t('partners:certificate.title', { id: partner.certificationId }), partner, certificateExpired: !!validUntil && validUntil < todayIso() };
  }

  @Post('partners/:id/suspend')
  @Roles('admin', 'channel_manager')
  async suspend(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PartnerReasonDto, @Req() req: Request, @Res() res: Response) {
    await this.accounts.suspend(actor, id, dto.reason);
    req.flash('success', 'partners:flash.suspended', { code: (await this.partners.getById(id)).code });
    res.redirect(303, `/partners/${id}`);
  }

  @Post('partners/:id/reactivate')
  @Roles('admin', 'channel_manager')
  async reactivate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PartnerReasonDto, @Req() req: Request, @Res() res: Response) {
    await this.accounts.reactivate(actor, id, dto.reason);
    req.flash('success', 'partners:flash.reactivated', { code: (await this.partners.getById(id)).code });
    res.redirect(303, `/partners/${id}`);
  }

  @Post('partners/:id/users')
  @Roles('admin', 'channel_manager')
  async invite(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: InvitePartnerUserDto, @Req() req: Request, @Res() res: Response) {
    const u = await this.accounts.inviteUser(actor, id, { username: dto.username, displayName: dto.displayName, email: dto.email });
    req.flash('success', 'partners:flash.loginInvited', { username: u.username, email: u.email });
    res.redirect(303, `/partners/${id}`);
  }

  @Post('partners/:id/users/:userId/resend-invitation')
  @Roles('admin', 'channel_manager')
  async resendInvitation(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('userId', ParseIntPipe) userId: number, @Req() req: Request, @Res() res: Response) {
    const u = await this.accounts.resendInvitation(actor, id, userId);
    req.flash('success', 'partners:flash.loginReinvited', { username: u.username, email: u.email });
    res.redirect(303, `/partners/${id}`);
  }
}
