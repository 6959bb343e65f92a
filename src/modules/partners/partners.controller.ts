import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { PartnerAccountsService, INVITABLE_STATUSES } from './partner-accounts.service';
import { PartnerDirectoryService } from './partner-directory.service';
import { parsePartnerListFilter } from './partner-list.util';
import { PARTNER_STATUSES } from './partner-status.util';
import { COOPERATION_TYPES, TIERS } from './partner.entity';
import { InvitePartnerUserDto, PartnerListQueryDto, ReasonDto } from './partners.dto';
import { PartnersService } from './partners.service';

/** Partner register pages: list, detail with timeline, certificate, suspension and logins. */
@ApiExcludeController()
@Controller()
export class PartnersController {
  constructor(private readonly directory: PartnerDirectoryService, private readonly accounts: PartnerAccountsService, private readonly partners: PartnersService) {}

  @Get('partners')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('partners/list')
  async list(@Query() query: PartnerListQueryDto) {
    const filter = parsePartnerListFilter(query as Record<string, unknown>);
    const [page, regions] = await Promise.all([this.directory.list(filter), this.directory.regions()]);
    const base = { status: filter.status, tier: filter.tier, type: filter.type, region: filter.region, q: filter.q };
    const link = (k: 'after' | 'before', code: string | null) => (code ? `/partners?${new URLSearchParams({ ...clean(base), [k]: code })}` : null);
    return {
      title: 'Partners', ...page, filter: base, regions, statuses: PARTNER_STATUSES, tiers: TIERS, types: COOPERATION_TYPES,
      nextHref: link('after', page.nextAfter), prevHref: link('before', page.prevBefore), pageLabel: `${page.total} partner(s)`,
    };
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
    return {
      title: `${partner.code} ${partner.name}`, partner, timeline, policy, logins, staff,
      canSuspend: manages && partner.status === 'active', canReactivate: manages && partner.status === 'suspended',
      canInvite: manages && INVITABLE_STATUSES.includes(partner.status),
    };
  }

  @Get('partners/:id/certificate')
  @AnyRole()
  @Render('partners/certificate')
  async certificate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const partner = await this.directory.detail(actor, id);
    if (!partner.certificationId) throw new NotFoundException('This partner has no certification yet (issued on approval).');
    return { title: `Certificate ${partner.certificationId}`, partner };
  }

  @Post('partners/:id/suspend')
  @Roles('admin', 'channel_manager')
  async suspend(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReasonDto, @Req() req: Request, @Res() res: Response) {
    await this.accounts.suspend(actor, id, dto.reason);
    req.flash('success', 'Partner suspended.');
    res.redirect(303, `/partners/${id}`);
  }

  @Post('partners/:id/reactivate')
  @Roles('admin', 'channel_manager')
  async reactivate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReasonDto, @Req() req: Request, @Res() res: Response) {
    await this.accounts.reactivate(actor, id, dto.reason);
    req.flash('success', 'Partner reactivated.');
    res.redirect(303, `/partners/${id}`);
  }

  @Post('partners/:id/users')
  @Roles('admin', 'channel_manager')
  async invite(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: InvitePartnerUserDto, @Req() req: Request, @Res() res: Response) {
    const u = await this.accounts.inviteUser(actor, id, { username: dto.username, displayName: dto.displayName, password: dto.password });
    req.flash('success', `Login ${u.username} created for the partner.`);
    res.redirect(303, `/partners/${id}`);
  }
}

function clean(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v)) as Record<string, string>;
}
