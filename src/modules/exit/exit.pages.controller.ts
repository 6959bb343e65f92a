import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { UsersService } from '../../core/auth/users.service';
import { todayIso } from '../../core/period/period.util';
import { AssignReceiverDto, ChecklistDto, CompleteExitDto, EvaluateDto, ExitRulesDto, ProposalQueryDto, ReasonDto } from './exit.dto';
import { ExitCompletionService } from './exit-completion.service';
import { ExitService } from './exit.service';
import { HandoverService } from './handover.service';
import { rankCandidates } from './handover.util';

/** Manager pages: proposals, evidence, the handover board, completion and the archive. */
@ApiExcludeController()
@Controller('exits')
export class ExitPagesController {
  constructor(
    private readonly exits: ExitService, private readonly handovers: HandoverService,
    private readonly completion: ExitCompletionService, private readonly users: UsersService,
  ) {}

  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  @Render('exit/proposals')
  async list(@CurrentUser() actor: Actor, @Query() q: ProposalQueryDto) {
    return { title: 'Exits', rows: await this.exits.list({ status: q.status || undefined }), q, rules: await this.exits.rules(), isAdmin: actor.role === 'admin', isManager: actor.role !== 'finance' };
  }

  @Post('evaluate')
  @Roles('admin', 'channel_manager')
  async evaluate(@CurrentUser() actor: Actor, @Body() dto: EvaluateDto, @Req() req: Request, @Res() res: Response) {
    const created = await this.exits.evaluate(actor, { period: dto.period || undefined });
    req.flash('success', created.length ? `${created.length} new exit proposal(s).` : 'No new exit proposals: nothing new triggered a rule.');
    res.redirect(303, '/exits');
  }

  @Post('rules')
  @Roles('admin')
  async rules(@CurrentUser() actor: Actor, @Body() dto: ExitRulesDto, @Req() req: Request, @Res() res: Response) {
    // an unticked checkbox is not sent: on this form it means "off"
    await this.exits.updateRules(actor, {
      majorViolationEnabled: dto.majorViolationEnabled ?? false, scoreFloorEnabled: dto.scoreFloorEnabled ?? false,
      consecutiveLowEnabled: dto.consecutiveLowEnabled ?? false, contractEndEnabled: dto.contractEndEnabled ?? false,
      scoreFloor: dto.scoreFloor, lowScoreBelow: dto.lowScoreBelow, consecutiveLowQuarters: dto.consecutiveLowQuarters,
    });
    req.flash('success', 'Exit rules saved.');
    res.redirect(303, '/exits');
  }

  @Get(':id')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('exit/proposal')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const p = await this.exits.get(id);
    const h = await this.handovers.byProposal(id);
    return { title: `Exit proposal ${id}`, p, violations: await this.exits.evidenceViolations(p), handover: h, isManager: actor.role !== 'finance', canDecide: p.status === 'proposed' && actor.role !== 'finance' };
  }

  @Post(':id/approve')
  @Roles('admin', 'channel_manager')
  async approve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReasonDto, @Req() req: Request, @Res() res: Response) {
    await this.exits.approve(actor, id, dto.reason);
    req.flash('success', 'Exit approved: the partner is now exiting. Hand every customer over.');
    res.redirect(303, `/exits/${id}/handover`);
  }

  @Post(':id/dismiss')
  @Roles('admin', 'channel_manager')
  async dismiss(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReasonDto, @Req() req: Request, @Res() res: Response) {
    await this.exits.dismiss(actor, id, dto.reason);
    req.flash('success', 'Proposal dismissed.');
    res.redirect(303, `/exits/${id}`);
  }

  @Get(':id/handover')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('exit/handover')
  async board(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const p = await this.exits.get(id);
    const h = await this.handovers.byProposal(id);
    if (!h) throw new NotFoundException('this proposal has no handover plan (it was not approved)');
    const rows = await this.handovers.board(h);
    const pool = await this.handovers.candidatePool(h.partnerId);
    const managers = (await this.users.list()).filter((u) => u.role === 'channel_manager' && u.active);
    const items = rows.map((r) => ({ ...r, candidates: r.receiverLabel ? [] : rankCandidates(pool, r.customerRegion, h.partnerId).slice(0, 8) }));
    const done = rows.filter((r) => r.openItems.length === 0).length;
    return {
      title: `Handover · ${p.partnerCode}`, p, h, items, managers, today: todayIso(), done, total: rows.length,
      refusal: h.status === 'open' ? await this.completion.refusal(id) : null, isManager: actor.role !== 'finance' && h.status === 'open',
    };
  }

  @Post(':id/handover/items/:itemId/assign')
  @Roles('admin', 'channel_manager')
  async assign(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: AssignReceiverDto, @Req() req: Request, @Res() res: Response) {
    await this.itemOf(id, itemId);
    await this.handovers.assignReceiver(actor, itemId, { partnerId: dto.partnerId, managerUserId: dto.managerUserId }, dto.effectiveOn, dto.reason ?? '');
    req.flash('success', 'Customer handed over; its open duty items follow the receiver.');
    res.redirect(303, `/exits/${id}/handover`);
  }

  @Post(':id/handover/items/:itemId/checklist')
  @Roles('admin', 'channel_manager')
  async checklist(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: ChecklistDto, @Req() req: Request, @Res() res: Response) {
    await this.itemOf(id, itemId);
    const { _csrf, ...patch } = dto;
    // the board's checkbox form sends only ticked boxes: missing ones are unticked
    await this.handovers.updateChecklist(actor, itemId, {
      documentsTransferred: patch.documentsTransferred ?? false, openRecordsTransferred: patch.openRecordsTransferred ?? false,
      arrearsListTransferred: patch.arrearsListTransferred ?? false, receiverAcknowledged: patch.receiverAcknowledged ?? false,
      customerInformedOn: patch.customerInformedOn ?? '',
    });
    req.flash('success', 'Checklist saved.');
    res.redirect(303, `/exits/${id}/handover`);
  }

  @Post(':id/complete')
  @Roles('admin', 'channel_manager')
  async complete(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CompleteExitDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.completion.complete(actor, id, dto);
    req.flash('success', `Exit completed: ${r.usersDeactivated} login(s) deactivated; ${r.batchId ? `final settlement batch ${r.batchId} created` : 'final settlement pending (settlement module not available)'}.`);
    res.redirect(303, `/exits/${id}/archive`);
  }

  @Get(':id/archive')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('exit/archive')
  async archive(@Param('id', ParseIntPipe) id: number) {
    const a = await this.completion.archive(id);
    return { title: `Archive · ${a.partner.code}`, ...a };
  }

  private async itemOf(proposalId: number, itemId: number): Promise<void> {
    const { handover } = await this.handovers.loadItem(itemId);
    if (handover.proposalId !== proposalId) throw new NotFoundException('handover item not found');
  }
}
