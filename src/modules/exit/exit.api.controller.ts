import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Put, Query, Req } from '@nestjs/common';
import { Request } from 'express';
import { tDeep } from '../../core/i18n/i18n';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { AllowWhileExiting, Roles } from '../../core/auth/roles.decorator';
import { AssignReceiverDto, ChecklistDto, CompleteExitDto, EvaluateDto, ExitRulesDto, ExitReasonDto, VoluntaryExitDto } from './exit.dto';
import { ExitCompletionService } from './exit-completion.service';
import { ExitService } from './exit.service';
import { HandoverService } from './handover.service';

@ApiTags('exits')
@Controller('api/exits')
export class ExitApiController {
  constructor(private readonly exits: ExitService, private readonly handovers: HandoverService, private readonly completion: ExitCompletionService, private readonly scope: RegionScopeService) {}

  @Get('rules')
  @Roles('admin', 'channel_manager')
  rules() { return this.exits.rules(); }

  @Put('rules')
  @Roles('admin')
  setRules(@CurrentUser() actor: Actor, @Body() dto: ExitRulesDto) {
    const { _csrf, ...rules } = dto;
    return this.exits.updateRules(actor, rules);
  }

  @Post('evaluate')
  @Roles('admin', 'channel_manager')
  evaluate(@CurrentUser() actor: Actor, @Body() dto: EvaluateDto) {
    return this.exits.evaluate(actor, { period: dto.period || undefined });
  }

  /** A partner user asks to end their own partnership. */
  @Post('voluntary')
  @Roles('partner')
  voluntary(@CurrentUser() actor: Actor, @Body() dto: VoluntaryExitDto) {
    return this.exits.requestVoluntary(actor, dto.note);
  }

  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  async list(@CurrentUser() actor: Actor, @Query('status') status: unknown, @Req() req: Request) {
    const s = typeof status === 'string' && ['proposed', 'approved', 'dismissed', 'completed'].includes(status) ? status : undefined;
    return (await this.exits.list({ status: s, scope: await this.scope.forActor(actor) })).map((p) => ({ ...p, summary: tDeep(req.lang, p.summary.message, p.summary.params) }));
  }

  @Get(':id')
  @Roles('admin', 'channel_manager', 'finance')
  async get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const p = await this.exits.get(id, actor);
    return { ...p, summary: tDeep(req.lang, p.summary.message, p.summary.params), violations: await this.exits.evidenceViolations(p) };
  }

  @Post(':id/approve')
  @Roles('admin', 'channel_manager')
  async approve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ExitReasonDto) { await this.exits.get(id, actor); return this.exits.approve(actor, id, dto.reason); }

  @Post(':id/dismiss')
  @Roles('admin', 'channel_manager')
  async dismiss(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ExitReasonDto) { await this.exits.get(id, actor); return this.exits.dismiss(actor, id, dto.reason); }

  @Get(':id/handover')
  @Roles('admin', 'channel_manager', 'finance')
  async board(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    await this.exits.assertInScope(actor, id);
    const h = await this.handovers.byProposal(id);
    if (!h) throw new NotFoundException('exit:errors.noHandoverPlan');
    const refusal = h.status === 'open' ? await this.completion.refusal(id) : null;
    return { handover: h, items: await this.handovers.board(h), completionRefusal: refusal ? tDeep(req.lang, refusal.message, refusal.params) : null };
  }

  @Get('handover-items/:itemId/candidates')
  @Roles('admin', 'channel_manager')
  async candidates(@CurrentUser() actor: Actor, @Param('itemId', ParseIntPipe) itemId: number, @Req() req: Request) {
    await this.itemInScope(actor, itemId);
    return (await this.handovers.candidatesFor(itemId)).map((c) => ({ ...c, refusal: c.refusal ? tDeep(req.lang, c.refusal.message, c.refusal.params) : null }));
  }

  @Post('handover-items/:itemId/assign')
  @Roles('admin', 'channel_manager')
  async assign(@CurrentUser() actor: Actor, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: AssignReceiverDto) {
    await this.itemInScope(actor, itemId);
    return this.handovers.assignReceiver(actor, itemId, { partnerId: dto.partnerId, managerUserId: dto.managerUserId }, dto.effectiveOn, dto.reason ?? '', dto.overrideReason);
  }

  /** Staff tick any item; the exiting partner the "transferred" items; the receiving partner its acknowledgement. */
  @Post('handover-items/:itemId/checklist')
  @Roles('admin', 'channel_manager', 'partner')
  @AllowWhileExiting()
  async checklist(@CurrentUser() actor: Actor, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: ChecklistDto) {
    await this.itemInScope(actor, itemId);
    const { _csrf, ...patch } = dto;
    return this.handovers.updateChecklist(actor, itemId, patch);
  }

  @Post(':id/complete')
  @Roles('admin', 'channel_manager')
  async complete(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CompleteExitDto) { await this.exits.assertInScope(actor, id); return this.completion.complete(actor, id, dto); }

  @Get(':id/archive')
  @Roles('admin', 'channel_manager', 'finance')
  async archive(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) { await this.exits.assertInScope(actor, id); return this.completion.archive(id); }

  /** A handover item of another region's exit answers 404 for a scoped channel manager (#17). */
  private async itemInScope(actor: Actor, itemId: number): Promise<void> {
    const { handover } = await this.handovers.loadItem(itemId);
    await this.exits.assertInScope(actor, handover.proposalId);
  }
}
