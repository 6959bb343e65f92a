import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { RECORD_TYPES } from './duty-rules.util';
import { DutiesService } from './duties.service';
import { DutyViewsService } from './duty-views.service';
import { ItemQueryDto, LockDto, PeriodDto, RecordLagDto, UnlockDto, UpdateTemplateDto } from './dto/duties.dto';

/** Channel manager pages: completion per partner, overdue items, generation, locks, alerts; admin: templates. */
@ApiExcludeController()
@Controller('duties')
export class DutiesController {
  constructor(private readonly duties: DutiesService, private readonly views: DutyViewsService) {}

  @Get()
  @Roles('admin', 'channel_manager')
  @Render('duties/overview')
  async overview(@Query() q: ItemQueryDto) {
    const today = todayIso();
    const period = q.period ?? periodOfDate(today).code;
    const filters = { region: q.region || undefined, customerClass: q.customerClass || undefined, partnerId: q.partnerId };
    const [partners, overdue, alerts, locks] = await Promise.all([
      this.views.partnerCompletion(period, filters, today), this.views.overdueItems(today, filters, 200),
      this.views.openAlertCount(null), this.duties.lockedPeriods(),
    ]);
    return {
      title: 'Duties', period, filters, partners, overdue, alerts, locks, locked: locks.some((l) => l.period === period),
      regions: await this.views.regions(), classes: ['A', 'B', 'C'], today,
    };
  }

  @Post('generate')
  @Roles('admin', 'channel_manager')
  async generate(@CurrentUser() actor: Actor, @Body() dto: PeriodDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.duties.generate(actor, dto.period);
    req.flash('success', `Checklist ${dto.period}: ${r.inserted} new item(s), ${r.total} in total.`);
    res.redirect(303, `/duties?period=${dto.period}`);
  }

  @Post('lock')
  @Roles('admin', 'channel_manager')
  async lock(@CurrentUser() actor: Actor, @Body() dto: LockDto, @Req() req: Request, @Res() res: Response) {
    const locked = await this.duties.lockQuarter(actor, dto.period, dto.reason ?? '');
    req.flash(locked ? 'success' : 'info', locked ? `Quarter ${dto.period} locked: no more records can be added for it.` : `Quarter ${dto.period} was already locked.`);
    res.redirect(303, `/duties?period=${dto.period}`);
  }

  @Post('unlock')
  @Roles('admin')
  async unlock(@CurrentUser() actor: Actor, @Body() dto: UnlockDto, @Req() req: Request, @Res() res: Response) {
    const reopened = await this.duties.unlockQuarter(actor, dto.period, dto.reason);
    req.flash(reopened ? 'success' : 'info', reopened ? `Quarter ${dto.period} reopened: records can be added for it again.` : `Quarter ${dto.period} was not locked.`);
    res.redirect(303, `/duties?period=${dto.period}`);
  }

  @Post('alerts')
  @Roles('admin', 'channel_manager')
  async alerts(@CurrentUser() actor: Actor, @Req() req: Request, @Res() res: Response) {
    const r = await this.duties.raiseOverdueAlerts(actor);
    req.flash('success', `${r.created} new alert(s); ${r.overdue} item(s) overdue.`);
    res.redirect(303, '/duties');
  }

  @Get('templates')
  @Roles('admin', 'channel_manager')
  @Render('duties/templates')
  async templates(@CurrentUser() actor: Actor) {
    return { title: 'Duty templates', templates: await this.views.templates(), recordTypes: RECORD_TYPES, lag: await this.views.recordLagHours(), canEdit: actor.role === 'admin' };
  }

  @Post('templates/:id')
  @Roles('admin')
  async updateTemplate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateTemplateDto, @Req() req: Request, @Res() res: Response) {
    const { _csrf, ...patch } = dto;
    const t = await this.views.updateTemplate(actor, id, patch);
    req.flash('success', `Template ${t.stage} / ${t.code} saved; it applies to checklists generated from now on.`);
    res.redirect(303, '/duties/templates');
  }

  @Post('settings')
  @Roles('admin')
  async settings(@CurrentUser() actor: Actor, @Body() dto: RecordLagDto, @Req() req: Request, @Res() res: Response) {
    await this.views.setRecordLag(actor, dto.recordEntryLagHours);
    req.flash('success', `Records now count as on time when entered within ${dto.recordEntryLagHours} hours.`);
    res.redirect(303, '/duties/templates');
  }
}
