import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { sendXlsx } from '../../core/export/xlsx.util';
import { tDeep } from '../../core/i18n/i18n';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { Roles } from '../../core/auth/roles.decorator';
import { UsersService } from '../../core/auth/users.service';
import { todayIso } from '../../core/period/period.util';
import { AssignReceiverDto, ChecklistDto, CompleteExitDto, EvaluateDto, ExitRulesDto, ExitReasonDto } from './exit.dto';
import { EXIT_TRIGGERS } from './exit-rules.util';
import { ExitCompletionService } from './exit-completion.service';
import { ARCHIVE_LIST, ExitService, PROPOSAL_LIST, ProposalFilter } from './exit.service';
import { HandoverService } from './handover.service';
import { rankCandidates } from './handover.util';

const PROPOSAL_STATUSES = ['proposed', 'approved', 'dismissed', 'completed'];
const XLSX_MAX_ROWS = 100_000;
const pick = (v: string | undefined, allowed: readonly string[]) => (v && allowed.includes(v) ? v : undefined);

/** Manager pages: proposals, evidence, the handover board, completion and the archive. */
@ApiExcludeController()
@Controller('exits')
export class ExitPagesController {
  constructor(
    private readonly exits: ExitService, private readonly handovers: HandoverService,
    private readonly completion: ExitCompletionService, private readonly users: UsersService,
    private readonly scope: RegionScopeService,
  ) {}

  /**
   * Proposals (default) or the archive of completed exits (`?view=archive`): filtered, sorted, paged, and as Excel
   * (`?format=xlsx`). Unknown or malformed parameters are ignored.
   */
  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const q = plainQuery(query);
    const tr = (key: string, params?: Record<string, unknown>) => tDeep(req.lang, key, params);
    const archive = q.view === 'archive';
    const spec = archive ? ARCHIVE_LIST : PROPOSAL_LIST;
    const filter: ProposalFilter = { scope: await this.scope.forActor(actor), status: archive ? undefined : pick(q.status, PROPOSAL_STATUSES), trigger: pick(q.trigger, EXIT_TRIGGERS), q: q.q?.trim().slice(0, 100) || undefined, completedOnly: archive };
    if (query.format === 'xlsx') {
      const all = await this.exits.page(filter, { ...parseListQuery(query, spec), offset: 0, size: XLSX_MAX_ROWS });
      const title = tr(archive ? 'exit:archiveList.title' : 'exit:list.title');
      await sendXlsx(res, `${title}.xlsx`, {
        title, exportedAtLabel: tr('common:list.exportedAt'),
        filters: ([['status', filter.status && `exit:status.${filter.status}`], ['trigger', filter.trigger && `exit:trigger.${filter.trigger}`], ['q', filter.q]] as [string, string | undefined][])
          .filter(([, v]) => v).map(([k, v]) => [tr(`exit:filter.${k}`), tr(v!)]),
        columns: [
          { header: tr('exit:col.id'), key: 'id', kind: 'number', width: 8 },
          { header: tr('exit:col.partnerCode'), key: 'partnerCode', width: 14 },
          { header: tr('exit:col.partnerName'), key: 'partnerName', width: 30 },
          { header: tr('exit:col.trigger'), key: 'triggerLabel', width: 16 },
          { header: tr('exit:col.evidence'), key: 'summaryText', width: 50 },
          { header: tr('exit:col.status'), key: 'statusLabel' },
          { header: tr('exit:col.proposed'), key: 'proposedAt', kind: 'datetime', width: 18 },
          { header: tr('exit:col.decided'), key: 'decidedAt', kind: 'datetime', width: 18 },
          { header: tr('exit:col.reason'), key: 'reason', width: 40 },
          { header: tr('exit:col.exitDate'), key: 'exitDate', kind: 'date' },
          { header: tr('exit:col.finalBatch'), key: 'finalSettlementBatchId', kind: 'number' },
        ],
        rows: all.rows.map((r) => ({ ...r, triggerLabel: tr(`exit:trigger.${r.trigger}`), statusLabel: tr(`exit:status.${r.status}`), summaryText: tr(r.summary.message, r.summary.params) })),
      });
      return;
    }
    const list = parseListQuery(query, spec);
    const { rows, total } = await this.exits.page(filter, list);
    res.render(archive ? 'exit/archive-list' : 'exit/proposals', {
      title: archive ? 'exit:archiveList.title' : 'exit:list.title', rows, filter, statuses: PROPOSAL_STATUSES, triggers: EXIT_TRIGGERS,
      list, pager: buildPager(total, list, '/exits', query),
      rules: await this.exits.rules(), isAdmin: actor.role === 'admin', isManager: actor.role !== 'finance',
    });
  }

  @Post('evaluate')
  @Roles('admin', 'channel_manager')
  async evaluate(@CurrentUser() actor: Actor, @Body() dto: EvaluateDto, @Req() req: Request, @Res() res: Response) {
    const created = await this.exits.evaluate(actor, { period: dto.period || undefined });
    req.flash('success', created.length ? 'exit:flash.proposed' : 'exit:flash.nothingNew', { count: created.length });
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
    req.flash('success', 'exit:flash.rulesSaved');
    res.redirect(303, '/exits');
  }

  @Get(':id')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('exit/proposal')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const p = await this.exits.get(id, actor);
    const h = await this.handovers.byProposal(id);
    return { title: tDeep(req.lang, 'exit:proposal.title', { id, code: p.partnerCode }), p, violations: await this.exits.evidenceViolations(p), handover: h, isManager: actor.role !== 'finance', canDecide: p.status === 'proposed' && actor.role !== 'finance' };
  }

  @Post(':id/approve')
  @Roles('admin', 'channel_manager')
  async approve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ExitReasonDto, @Req() req: Request, @Res() res: Response) {
    await this.exits.get(id, actor);
    await this.exits.approve(actor, id, dto.reason);
    req.flash('success', 'exit:flash.approved');
    res.redirect(303, `/exits/${id}/handover`);
  }

  @Post(':id/dismiss')
  @Roles('admin', 'channel_manager')
  async dismiss(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ExitReasonDto, @Req() req: Request, @Res() res: Response) {
    await this.exits.get(id, actor);
    await this.exits.dismiss(actor, id, dto.reason);
    req.flash('success', 'exit:flash.dismissed');
    res.redirect(303, `/exits/${id}`);
  }

  @Get(':id/handover')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('exit/handover')
  async board(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const p = await this.exits.get(id, actor);
    const h = await this.handovers.byProposal(id);
    if (!h) throw new NotFoundException('exit:errors.noHandoverPlan');
    const rows = await this.handovers.board(h);
    const pool = await this.handovers.candidatePool(h.partnerId);
    const regions = await this.handovers.regionNames();
    const managers = (await this.users.list()).filter((u) => u.role === 'channel_manager' && u.active);
    const items = rows.map((r) => ({ ...r, candidates: r.receiverLabel ? [] : rankCandidates(pool, r.customerRegion, h.partnerId, regions).slice(0, 8) }));
    const done = rows.filter((r) => r.openItems.length === 0).length;
    return {
      title: tDeep(req.lang, 'exit:handover.title', { code: p.partnerCode }), p, h, items, managers, today: todayIso(), done, total: rows.length,
      refusal: h.status === 'open' ? await this.completion.refusal(id) : null, isManager: actor.role !== 'finance' && h.status === 'open',
    };
  }

  @Post(':id/handover/items/:itemId/assign')
  @Roles('admin', 'channel_manager')
  async assign(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: AssignReceiverDto, @Req() req: Request, @Res() res: Response) {
    await this.itemOf(actor, id, itemId);
    await this.handovers.assignReceiver(actor, itemId, { partnerId: dto.partnerId, managerUserId: dto.managerUserId }, dto.effectiveOn, dto.reason ?? '', dto.overrideReason);
    req.flash('success', 'exit:flash.handedOver');
    res.redirect(303, `/exits/${id}/handover`);
  }

  @Post(':id/handover/items/:itemId/checklist')
  @Roles('admin', 'channel_manager')
  async checklist(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: ChecklistDto, @Req() req: Request, @Res() res: Response) {
    await this.itemOf(actor, id, itemId);
    const { _csrf, ...patch } = dto;
    // the board's checkbox form sends only ticked boxes: missing ones are unticked
    await this.handovers.updateChecklist(actor, itemId, {
      documentsTransferred: patch.documentsTransferred ?? false, openRecordsTransferred: patch.openRecordsTransferred ?? false,
      arrearsListTransferred: patch.arrearsListTransferred ?? false, receiverAcknowledged: patch.receiverAcknowledged ?? false,
      customerInformedOn: patch.customerInformedOn ?? '',
    });
    req.flash('success', 'exit:flash.checklistSaved');
    res.redirect(303, `/exits/${id}/handover`);
  }

  @Post(':id/complete')
  @Roles('admin', 'channel_manager')
  async complete(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CompleteExitDto, @Req() req: Request, @Res() res: Response) {
    await this.exits.assertInScope(actor, id);
    const r = await this.completion.complete(actor, id, dto);
    req.flash('success', r.batchId ? 'exit:flash.completed' : 'exit:flash.completedNoBatch', { count: r.usersDeactivated, batch: r.batchId });
    res.redirect(303, `/exits/${id}/archive`);
  }

  @Get(':id/archive')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('exit/archive')
  async archive(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    await this.exits.assertInScope(actor, id);
    const a = await this.completion.archive(id);
    return { title: tDeep(req.lang, 'exit:archive.title', { code: a.partner.code }), ...a };
  }

  private async itemOf(actor: Actor, proposalId: number, itemId: number): Promise<void> {
    await this.exits.assertInScope(actor, proposalId);
    const { handover } = await this.handovers.loadItem(itemId);
    if (handover.proposalId !== proposalId) throw new NotFoundException('exit:errors.itemNotFound');
  }
}
