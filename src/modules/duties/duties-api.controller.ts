import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { DutiesService } from './duties.service';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { DutyViewsService, parseItemQuery } from './duty-views.service';
import { LockDto, PeriodDto, UnlockDto, UpdateTemplateDto } from './dto/duties.dto';

@ApiTags('duties')
@Controller('api/duties')
export class DutiesApiController {
  constructor(private readonly duties: DutiesService, private readonly views: DutyViewsService, private readonly scope: RegionScopeService) {}

  /** Checklist items of a period (period, region, customerClass, partnerId; malformed values are ignored); partner users only ever get their own partner's items. */
  @Get('items')
  @AnyRole()
  @ApiQuery({ name: 'period', required: false, example: '2026Q4' }) @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'customerClass', required: false, enum: ['A', 'B', 'C'] }) @ApiQuery({ name: 'partnerId', required: false })
  async items(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>) {
    const q = parseItemQuery(query);
    const period = q.period ?? periodOfDate(todayIso()).code;
    const partnerId = actor.role === 'partner' ? actor.partnerId! : q.filters.partnerId;
    return this.views.items(period, { ...q.filters, partnerId, scope: await this.scope.forActor(actor) }, { includeClosed: true });
  }

  @Get('completion')
  @AnyRole()
  async completion(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>) {
    const q = parseItemQuery(query);
    const period = q.period ?? periodOfDate(todayIso()).code;
    const partnerId = actor.role === 'partner' ? actor.partnerId! : q.filters.partnerId;
    if (!partnerId) return this.views.partnerCompletion(period, { region: q.filters.region, customerClass: q.filters.customerClass, scope: await this.scope.forActor(actor) }, todayIso());
    if (actor.role !== 'partner') await this.scope.assertPartner(actor, partnerId);
    const [completion, complaints, records] = await Promise.all([
      this.duties.completionFor(partnerId, period), this.duties.complaintTimeliness(partnerId, period), this.duties.recordTimeliness(partnerId, period),
    ]);
    return { partnerId, period, completion, complaintTimeliness: complaints, recordTimeliness: records };
  }

  @Get('overdue')
  @AnyRole()
  async overdue(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>) {
    const q = parseItemQuery(query);
    const partnerId = actor.role === 'partner' ? actor.partnerId! : q.filters.partnerId;
    return this.views.overdueItems(todayIso(), { ...q.filters, partnerId, scope: await this.scope.forActor(actor) });
  }

  @Post('generate')
  @Roles('admin', 'channel_manager')
  generate(@CurrentUser() actor: Actor, @Body() dto: PeriodDto) {
    return this.duties.generate(actor, dto.period);
  }

  @Post('lock')
  @Roles('admin', 'channel_manager')
  async lock(@CurrentUser() actor: Actor, @Body() dto: LockDto) {
    return { period: dto.period, newlyLocked: await this.duties.lockQuarter(actor, dto.period, dto.reason ?? '') };
  }

  @Post('unlock')
  @Roles('admin')
  async unlock(@CurrentUser() actor: Actor, @Body() dto: UnlockDto) {
    return { period: dto.period, reopened: await this.duties.unlockQuarter(actor, dto.period, dto.reason) };
  }

  @Post('alerts')
  @Roles('admin', 'channel_manager')
  alerts(@CurrentUser() actor: Actor) {
    return this.duties.raiseOverdueAlerts(actor);
  }

  @Get('templates')
  @AnyRole()
  templates() {
    return this.views.templates();
  }

  @Patch('templates/:id')
  @Roles('admin')
  updateTemplate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateTemplateDto) {
    const { _csrf, ...patch } = dto;
    if (!Object.values(patch).some((v) => v !== undefined)) throw new RuleViolation('duties:errors.nothingToChange');
    return this.views.updateTemplate(actor, id, patch);
  }
}
