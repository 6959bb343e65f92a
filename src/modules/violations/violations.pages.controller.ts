import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { todayIso } from '../../core/period/period.util';
import { PartnersService } from '../partners/partners.service';
import { RecordViolationDto, RespondViolationDto, ViolationKindDto, ViolationQueryDto, ViolationSettingDto, VoidViolationDto } from './violations.dto';
import { ViolationsService } from './violations.service';

/** Catalogue of kinds and the response window (declared before /violations/:id so "kinds" is not read as an id). */
@ApiExcludeController()
@Controller('violations/kinds')
export class ViolationKindsPagesController {
  constructor(private readonly violations: ViolationsService) {}

  @Get()
  @Roles('admin', 'channel_manager')
  @Render('violations/kinds')
  async page(@CurrentUser() actor: Actor) {
    return { title: 'Violation kinds', kinds: await this.violations.kinds(), responseDays: await this.violations.responseDays(), canEdit: actor.role === 'admin' };
  }

  @Post()
  @Roles('admin')
  async create(@CurrentUser() actor: Actor, @Body() dto: ViolationKindDto, @Req() req: Request, @Res() res: Response) {
    const k = await this.violations.createKind(actor, dto);
    req.flash('success', `Kind ${k.code} added.`);
    res.redirect(303, '/violations/kinds');
  }

  @Post('settings')
  @Roles('admin')
  async settings(@CurrentUser() actor: Actor, @Body() dto: ViolationSettingDto, @Req() req: Request, @Res() res: Response) {
    await this.violations.setResponseDays(actor, dto.responseDays);
    req.flash('success', `Partners now have ${dto.responseDays} day(s) to respond to new violations.`);
    res.redirect(303, '/violations/kinds');
  }

  @Post(':id')
  @Roles('admin')
  async update(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ViolationKindDto, @Req() req: Request, @Res() res: Response) {
    const k = await this.violations.updateKind(actor, id, { ...dto, active: dto.active ?? false });
    req.flash('success', `Kind ${k.code} saved; violations recorded from now on use it.`);
    res.redirect(303, '/violations/kinds');
  }
}

@ApiExcludeController()
@Controller()
export class ViolationsPagesController {
  constructor(private readonly violations: ViolationsService, private readonly partners: PartnersService) {}

  @Get('violations')
  @Roles('admin', 'channel_manager')
  @Render('violations/register')
  async register(@CurrentUser() actor: Actor, @Query() q: ViolationQueryDto) {
    const [rows, kinds, partners] = await Promise.all([
      this.violations.list(actor, q), this.violations.kinds(), this.partners.listByStatus(['active', 'suspended', 'exiting', 'exited']),
    ]);
    return { title: 'Violations register', rows, kinds, partners, q };
  }

  @Get('violations/new')
  @Roles('admin', 'channel_manager')
  @Render('violations/new')
  async newForm(@Query('partnerId') partnerId?: string) {
    return {
      title: 'Record a violation', kinds: await this.violations.kinds({ activeOnly: true }),
      partners: await this.partners.listByStatus(['active', 'suspended', 'exiting']), partnerId: Number(partnerId) || null, today: todayIso(),
    };
  }

  @Post('violations')
  @Roles('admin', 'channel_manager')
  async create(@CurrentUser() actor: Actor, @Body() dto: RecordViolationDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.violations.record(actor, dto);
    req.flash('success', `Violation ${v.id} recorded; the partner may respond until ${v.responseDueOn}.`);
    res.redirect(303, `/violations/${v.id}`);
  }

  @Get('violations/:id')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('violations/detail')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const v = await this.violations.getForActor(actor, id);
    return { title: `Violation ${v.id}`, v, canVoid: v.status === 'recorded' && actor.role !== 'finance' };
  }

  @Post('violations/:id/void')
  @Roles('admin', 'channel_manager')
  async void(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VoidViolationDto, @Req() req: Request, @Res() res: Response) {
    await this.violations.voidViolation(actor, id, dto.reason);
    req.flash('success', `Violation ${id} voided; its penalty will be reversed in the next settlement.`);
    res.redirect(303, `/violations/${id}`);
  }

  @Get('my/violations')
  @Roles('partner')
  @Render('my/violations')
  async mine(@CurrentUser() actor: Actor) {
    return { title: 'Violations', rows: await this.violations.list(actor) };
  }

  @Get('my/violations/:id')
  @Roles('partner')
  @Render('my/violations-detail')
  async myDetail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const v = await this.violations.getForActor(actor, id);
    return { title: `Violation ${v.id}`, v };
  }

  @Post('my/violations/:id/respond')
  @Roles('partner')
  async respond(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: RespondViolationDto, @Req() req: Request, @Res() res: Response) {
    await this.violations.respond(actor, id, dto.response);
    req.flash('success', 'Your response was recorded and the channel manager can see it.');
    res.redirect(303, `/my/violations/${id}`);
  }
}
