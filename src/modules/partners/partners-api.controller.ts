import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { tDeep } from '../../core/i18n/i18n';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { PartnerAccountsService } from './partner-accounts.service';
import { PartnerDirectoryService } from './partner-directory.service';
import { parsePartnerListFilter } from './partner-list.util';
import { InvitePartnerUserDto, PartnerReasonDto } from './partners.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@Controller('api/partners')
export class PartnersApiController {
  constructor(private readonly directory: PartnerDirectoryService, private readonly accounts: PartnerAccountsService, private readonly partners: PartnersService, private readonly scope: RegionScopeService) {}

  /** Keyset pages on the code (`after` / `before`, `limit` ≤ 200); unknown or malformed filter values are ignored. */
  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  @ApiQuery({ name: 'status', required: false }) @ApiQuery({ name: 'tier', required: false }) @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'region', required: false }) @ApiQuery({ name: 'q', required: false, description: 'code or credit code prefix, or part of the name' })
  @ApiQuery({ name: 'after', required: false }) @ApiQuery({ name: 'before', required: false }) @ApiQuery({ name: 'limit', required: false })
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>) {
    // a channel manager scoped to regions (#17) lists only their partners
    return this.directory.list({ ...parsePartnerListFilter(query ?? {}), scope: await this.scope.forActor(actor) });
  }

  /** Differentiated support per tier. */
  @Get('tier-policy')
  @AnyRole()
  tierPolicy() {
    return this.partners.tierPolicies();
  }

  /** The actor's view of a partner: 404 for another partner's user; bank account masked except for finance. */
  @Get(':id')
  @AnyRole()
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const { version: _v, bankAccountShown: _s, ...p } = await this.directory.detail(actor, id);
    return p;
  }

  @Get(':id/history')
  @AnyRole()
  async history(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    // labels in the caller's language (the page translates the same keys)
    return (await this.directory.timeline(actor, id)).map(({ labelParams, ...e }) => ({ ...e, label: tDeep(req.lang, e.label, labelParams), by: e.by && tDeep(req.lang, e.by) }));
  }

  @Post(':id/suspend')
  @Roles('admin', 'channel_manager')
  async suspend(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PartnerReasonDto) {
    const p = await this.accounts.suspend(actor, id, dto.reason);
    return { id: p.id, status: p.status };
  }

  @Post(':id/reactivate')
  @Roles('admin', 'channel_manager')
  async reactivate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PartnerReasonDto) {
    const p = await this.accounts.reactivate(actor, id, dto.reason);
    return { id: p.id, status: p.status };
  }

  @Post(':id/users')
  @Roles('admin', 'channel_manager')
  invite(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: InvitePartnerUserDto) {
    return this.accounts.inviteUser(actor, id, { username: dto.username, displayName: dto.displayName, email: dto.email });
  }
}
