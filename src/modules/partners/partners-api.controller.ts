import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { PartnerAccountsService } from './partner-accounts.service';
import { PartnerDirectoryService } from './partner-directory.service';
import { parsePartnerListFilter } from './partner-list.util';
import { InvitePartnerUserDto, PartnerListQueryDto, ReasonDto } from './partners.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@Controller('api/partners')
export class PartnersApiController {
  constructor(private readonly directory: PartnerDirectoryService, private readonly accounts: PartnerAccountsService, private readonly partners: PartnersService) {}

  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  list(@Query() query: PartnerListQueryDto) {
    return this.directory.list(parsePartnerListFilter(query as Record<string, unknown>));
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
  history(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.directory.timeline(actor, id);
  }

  @Post(':id/suspend')
  @Roles('admin', 'channel_manager')
  async suspend(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReasonDto) {
    const p = await this.accounts.suspend(actor, id, dto.reason);
    return { id: p.id, status: p.status };
  }

  @Post(':id/reactivate')
  @Roles('admin', 'channel_manager')
  async reactivate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReasonDto) {
    const p = await this.accounts.reactivate(actor, id, dto.reason);
    return { id: p.id, status: p.status };
  }

  @Post(':id/users')
  @Roles('admin', 'channel_manager')
  invite(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: InvitePartnerUserDto) {
    return this.accounts.inviteUser(actor, id, { username: dto.username, displayName: dto.displayName, password: dto.password });
  }
}
