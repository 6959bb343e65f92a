import { Body, Controller, Get, Param, ParseIntPipe, Post, Put, Render, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor, ROLES } from './actor';
import { CurrentUser } from './current-user.decorator';
import { CreateUserDto } from './dto/create-user.dto';
import { AccountsService } from './accounts.service';
import { MfaService } from './mfa.service';
import { RegionScopeService } from './region-scope.service';
import { Roles } from './roles.decorator';
import { UserRegionsDto } from './dto/user-regions.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService, private readonly accounts: AccountsService, private readonly scope: RegionScopeService, private readonly mfa: MfaService) {}

  @Get('admin/users')
  @Roles('admin')
  @Render('admin/users')
  async page(@CurrentUser() actor: Actor) {
    const [users, assigned, prefectures] = await Promise.all([this.users.listWithInvitation(), this.scope.assignments(), this.scope.prefectures()]);
    // channel managers carry their regions (none: province-level) and the ticked prefectures for the inline form
    const rows = users.map((u0) => {
      // the second-factor reset is offered for others only (MfaService.adminReset refuses oneself)
      const u = { ...u0, mfaOn: !!u0.totpEnabledAt, self: u0.id === actor.id };
      if (u.role !== 'channel_manager') return u;
      const mine = assigned.get(u.id) ?? [];
      return { ...u, isManager: true, regions: mine.map((r) => r.name), regionOptions: prefectures.map((p) => ({ ...p, checked: mine.some((r) => r.id === p.id) })) };
    });
    return { title: 'admin:users.title', users: rows, roles: ROLES };
  }

  /** Regions of a channel manager from the users page (#17): the ticked prefectures replace the previous ones. */
  @Post('admin/users/:id/regions')
  @Roles('admin')
  async regionsForm(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const raw = body?.regionIds;
    const ids = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).map(Number);
    const r = await this.scope.assign(actor, id, ids);
    const u = await this.users.findActor(id);
    req.flash('success', 'admin:users.regionsSaved', { username: u?.username ?? String(id), regions: r.regions.length ? r.regions.join('、') : req.t('admin:users.province') });
    res.redirect(303, '/admin/users');
  }

  /** Replaces a channel manager's regions (prefecture ids; an empty list makes the manager province-level again). */
  @Put('api/admin/users/:id/regions')
  @Roles('admin')
  putRegions(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UserRegionsDto) {
    return this.scope.assign(actor, id, dto.regionIds);
  }

  @Post('admin/users')
  @Roles('admin')
  async createFromForm(@CurrentUser() actor: Actor, @Body() dto: CreateUserDto, @Req() req: Request, @Res() res: Response) {
    const u = await this.accounts.invite(actor, dto);
    req.flash('success', 'admin:users.invited', { username: u.username, email: u.email });
    res.redirect(303, '/admin/users');
  }

  @Post('admin/users/:id/resend-invitation')
  @Roles('admin')
  async resend(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const u = await this.accounts.resendInvitation(actor, id);
    req.flash('success', 'admin:users.reinvited', { username: u.username, email: u.email });
    res.redirect(303, '/admin/users');
  }

  @Post('admin/users/:id/deactivate')
  @Roles('admin')
  async deactivate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body('reason') reason: string, @Req() req: Request, @Res() res: Response) {
    await this.users.setActive(actor, id, false, reason || 'deactivated by admin');
    req.flash('success', 'admin:users.deactivated');
    res.redirect(303, '/admin/users');
  }

  @Post('admin/users/:id/activate')
  @Roles('admin')
  async activate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    await this.users.setActive(actor, id, true, 'activated by admin');
    req.flash('success', 'admin:users.activated');
    res.redirect(303, '/admin/users');
  }

  /** Removes another user's second factor (lost phone): reason required, audited, all of their sessions end. */
  @Post('admin/users/:id/mfa/reset')
  @Roles('admin')
  async resetMfa(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body('reason') reason: string, @Req() req: Request, @Res() res: Response) {
    const r = await this.mfa.adminReset(actor, id, reason);
    req.flash('success', 'admin:users.mfaResetDone', { username: r.username, ended: r.sessionsEnded });
    res.redirect(303, '/admin/users');
  }

  @Get('api/users')
  @Roles('admin')
  list() {
    return this.users.list();
  }

  @Post('api/users')
  @Roles('admin')
  async create(@CurrentUser() actor: Actor, @Body() dto: CreateUserDto) {
    const u = await this.accounts.invite(actor, dto);
    return { id: u.id, username: u.username, role: u.role, partnerId: u.partnerId, email: u.email, invited: true };
  }
}
