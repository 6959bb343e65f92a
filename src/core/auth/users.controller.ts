import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor, ROLES } from './actor';
import { CurrentUser } from './current-user.decorator';
import { CreateUserDto } from './dto/create-user.dto';
import { AccountsService } from './accounts.service';
import { Roles } from './roles.decorator';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService, private readonly accounts: AccountsService) {}

  @Get('admin/users')
  @Roles('admin')
  @Render('admin/users')
  async page() {
    return { title: 'admin:users.title', users: await this.users.listWithInvitation(), roles: ROLES };
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
