import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx } from '../../core/export/xlsx.util';
import { todayIso } from '../../core/period/period.util';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { RegionsService } from '../regions/regions.service';
import { COOPERATION_TYPES, CooperationType, Tier, TIERS } from '../partners/partner.entity';
import { PartnerStatus } from '../partners/partner-status.util';
import { toApplicationInput } from './apply.controller';
import { APPLICATION_LIST, APPLICATION_STATUSES, ApplicationFilter, ApplicationsService } from './applications.service';
import { OnboardingSettingsService } from './onboarding-settings.service';
import { ActivateDto, ApplicationDto, DecisionDto, ReviewDto } from './onboarding.dto';

const XLSX_MAX_ROWS = 100_000;
const CHANNELS = ['public', 'manager', 'import'] as const;

/** Channel managers' onboarding pages: applications, the review scorecard, decision and activation. */
@ApiExcludeController()
@Controller('onboarding/applications')
@Roles('admin', 'channel_manager')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService, private readonly settings: OnboardingSettingsService, private readonly regions: RegionsService, private readonly scope: RegionScopeService) {}

  @Get()
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const q = plainQuery(query);
    const tree = await this.regions.tree();
    const shown = {
      status: APPLICATION_STATUSES.includes(q.status as PartnerStatus) ? (q.status as PartnerStatus) : undefined,
      type: (COOPERATION_TYPES as readonly string[]).includes(q.type) ? (q.type as CooperationType) : undefined,
      channel: (CHANNELS as readonly string[]).includes(q.channel) ? (q.channel as (typeof CHANNELS)[number]) : undefined,
      region: tree.some((r) => r.name === q.region || r.counties.some((c) => c.name === q.region)) ? q.region : undefined,
      q: q.q?.trim().slice(0, 100) || undefined,
    };
    const prefecture = tree.find((r) => r.name === shown.region);
    const filter: ApplicationFilter = { ...shown, scope: await this.scope.forActor(actor), regionIn: prefecture ? [prefecture.name, ...prefecture.counties.map((c) => c.name)] : shown.region ? [shown.region] : undefined };
    const list = parseListQuery(query, APPLICATION_LIST);
    if (query?.format === 'xlsx') {
      const { rows } = await this.applications.list(filter, { ...list, offset: 0, size: XLSX_MAX_ROWS }, { withTotal: false });
      const title = req.t('onboarding:applications.title');
      const label = (k: string, v: string) => (k === 'status' ? req.t(`partners:status.${v}`) : k === 'type' ? req.t(`partners:type.${v}`) : k === 'channel' ? req.t(`onboarding:channel.${v}`) : v);
      await sendXlsx(res, `${title}.xlsx`, {
        title, exportedAtLabel: req.t('common:list.exportedAt'),
        filters: Object.entries(shown).filter(([, v]) => v).map(([k, v]) => [req.t(`onboarding:applications.filter.${k}`), label(k, String(v))]),
        columns: [
          { header: req.t('onboarding:applications.col.submitted'), key: 'submittedAt', kind: 'datetime', width: 18 },
          { header: req.t('onboarding:applications.col.reference'), key: 'code', width: 14 },
          { header: req.t('onboarding:applications.col.organisation'), key: 'name', width: 36 },
          { header: req.t('onboarding:applications.col.type'), key: 'type', width: 14 },
          { header: req.t('onboarding:applications.col.region'), key: 'region', width: 14 },
          { header: req.t('onboarding:applications.col.intendedRegions'), key: 'intendedRegions', width: 30 },
          { header: req.t('onboarding:applications.col.via'), key: 'via', width: 14 },
          { header: req.t('onboarding:applications.col.status'), key: 'statusLabel', width: 12 },
          { header: req.t('onboarding:applications.col.score'), key: 'total', kind: 'number', width: 10 },
          { header: req.t('onboarding:applications.col.suggestion'), key: 'suggestion', width: 12 },
        ],
        rows: rows.map((r) => ({
          ...r, type: req.t(`partners:type.${r.cooperationType}`), via: req.t(`onboarding:channel.${r.channel}`), statusLabel: req.t(`partners:status.${r.status}`),
          suggestion: r.suggestedDecision ? req.t(`onboarding:suggestion.${r.suggestedDecision}`) : '',
        })),
      });
      return;
    }
    const { rows, total } = await this.applications.list(filter, list);
    res.render('onboarding/applications', {
      title: 'onboarding:applications.title', applications: rows, filter: shown, statuses: APPLICATION_STATUSES, types: COOPERATION_TYPES, channels: CHANNELS,
      regions: tree, list, pager: buildPager(total, list, '/onboarding/applications', query ?? {}),
    });
  }

  @Get('new')
  @Render('onboarding/apply')
  async newForm() {
    return { title: 'onboarding:apply.titleManager', types: COOPERATION_TYPES, regions: await this.regions.tree(), publicForm: false, action: '/onboarding/applications' };
  }

  @Post()
  async create(@CurrentUser() actor: Actor, @Body() dto: ApplicationDto, @Req() req: Request, @Res() res: Response) {
    const { application, partner } = await this.applications.apply(actor, toApplicationInput(dto), 'manager');
    req.flash('success', 'onboarding:flash.entered', { name: partner.name, code: partner.code });
    res.redirect(303, `/onboarding/applications/${application.id}`);
  }

  @Get(':id')
  @Render('onboarding/review')
  async review(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const { application, partner, review } = await this.applications.get(id, undefined, actor);
    const { passMark } = await this.settings.settings();
    const lines = review?.scores.length ? review.scores
      : (await this.settings.criteria({ activeOnly: true })).map((c) => ({ id: c.id, name: c.name, weight: c.weight, maxPoints: c.maxPoints, points: null }));
    const decided = !!review?.decision;
    return {
      title: req.t('onboarding:review.title', { code: partner.code }), application, partner, review, lines, passMark: review?.passMark ?? passMark, tiers: TIERS,
      canScore: !decided && ['applied', 'under_review'].includes(partner.status),
      canDecide: !decided && partner.status === 'under_review' && review?.total != null,
      canActivate: partner.status === 'approved', today: todayIso(),
      suggestedTier: review?.total != null ? suggestTierFromTotal(review.total) : 'B',
      defaultDecision: review?.suggestedDecision === 'reject' ? 'rejected' : 'approved',
    };
  }

  @Post(':id/review')
  async saveReview(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReviewDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.applications.saveReview(actor, id, { scores: dto.scores, comments: dto.comments });
    if (r.total === null) req.flash('success', 'onboarding:flash.scorecardDraft');
    else req.flash('success', 'onboarding:flash.scorecardSaved', { total: r.total, suggestion: `onboarding:suggestion.${r.suggestedDecision}` });
    res.redirect(303, `/onboarding/applications/${id}`);
  }

  @Post(':id/decide')
  async decide(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: DecisionDto, @Req() req: Request, @Res() res: Response) {
    const p = await this.applications.decide(actor, id, { decision: dto.decision, reason: dto.reason, tier: (dto.tier || null) as Tier | null });
    if (p.status === 'approved') req.flash('success', 'onboarding:flash.approved', { tier: p.tier, certificationId: p.certificationId });
    else req.flash('success', 'onboarding:flash.rejected');
    res.redirect(303, `/onboarding/applications/${id}`);
  }

  @Post(':id/activate')
  async activate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ActivateDto, @Req() req: Request, @Res() res: Response) {
    const p = await this.applications.activate(actor, id, dto.contractSignedOn);
    req.flash('success', 'onboarding:flash.activated', { name: p.name });
    res.redirect(303, `/partners/${p.id}`);
  }
}

/** A starting suggestion for the tier select on approval (the manager chooses). */
function suggestTierFromTotal(total: string): Tier {
  const t = Number(total);
  return t >= 90 ? 'A' : t >= 75 ? 'B' : 'C';
}
