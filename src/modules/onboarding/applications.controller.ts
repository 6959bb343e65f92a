import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { todayIso } from '../../core/period/period.util';
import { COOPERATION_TYPES, Tier, TIERS } from '../partners/partner.entity';
import { PartnerStatus } from '../partners/partner-status.util';
import { toApplicationInput } from './apply.controller';
import { APPLICATION_STATUSES, ApplicationsService } from './applications.service';
import { OnboardingSettingsService } from './onboarding-settings.service';
import { ActivateDto, ApplicationDto, DecisionDto, ReviewDto } from './onboarding.dto';

/** Channel managers' onboarding pages: applications, the review scorecard, decision and activation. */
@ApiExcludeController()
@Controller('onboarding/applications')
@Roles('admin', 'channel_manager')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService, private readonly settings: OnboardingSettingsService) {}

  @Get()
  @Render('onboarding/applications')
  async list(@Query('status') status?: string) {
    const chosen = APPLICATION_STATUSES.includes(status as PartnerStatus) ? (status as PartnerStatus) : undefined;
    return { title: 'Applications', applications: await this.applications.list(chosen), statuses: APPLICATION_STATUSES, status: chosen };
  }

  @Get('new')
  @Render('onboarding/apply')
  newForm() {
    return { title: 'Enter an application', types: COOPERATION_TYPES, publicForm: false, action: '/onboarding/applications' };
  }

  @Post()
  async create(@CurrentUser() actor: Actor, @Body() dto: ApplicationDto, @Req() req: Request, @Res() res: Response) {
    const { application, partner } = await this.applications.apply(actor, toApplicationInput(dto), 'manager');
    req.flash('success', `Application of ${partner.name} entered (${partner.code}).`);
    res.redirect(303, `/onboarding/applications/${application.id}`);
  }

  @Get(':id')
  @Render('onboarding/review')
  async review(@Param('id', ParseIntPipe) id: number) {
    const { application, partner, review } = await this.applications.get(id);
    const { passMark } = await this.settings.settings();
    const lines = review?.scores.length ? review.scores
      : (await this.settings.criteria({ activeOnly: true })).map((c) => ({ id: c.id, name: c.name, weight: c.weight, maxPoints: c.maxPoints, points: null }));
    const decided = !!review?.decision;
    return {
      title: `Application ${partner.code}`, application, partner, review, lines, passMark: review?.passMark ?? passMark, tiers: TIERS,
      canScore: !decided && ['applied', 'under_review'].includes(partner.status),
      canDecide: !decided && partner.status === 'under_review' && review?.total != null,
      canActivate: partner.status === 'approved', today: todayIso(),
      suggestedTier: review?.total != null ? suggestTierFromTotal(review.total) : 'B',
    };
  }

  @Post(':id/review')
  async saveReview(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReviewDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.applications.saveReview(actor, id, { scores: dto.scores, comments: dto.comments });
    req.flash('success', r.total === null ? 'Scorecard saved as a draft (not every criterion is scored yet).' : `Scorecard saved: total ${r.total}, suggestion: ${r.suggestedDecision}.`);
    res.redirect(303, `/onboarding/applications/${id}`);
  }

  @Post(':id/decide')
  async decide(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: DecisionDto, @Req() req: Request, @Res() res: Response) {
    const p = await this.applications.decide(actor, id, { decision: dto.decision, reason: dto.reason, tier: (dto.tier || null) as Tier | null });
    req.flash('success', p.status === 'approved' ? `Approved: tier ${p.tier}, certification ${p.certificationId}. Create the partner's logins on its page.` : 'Application rejected.');
    res.redirect(303, `/onboarding/applications/${id}`);
  }

  @Post(':id/activate')
  async activate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ActivateDto, @Req() req: Request, @Res() res: Response) {
    const p = await this.applications.activate(actor, id, dto.contractSignedOn);
    req.flash('success', `${p.name} is now active.`);
    res.redirect(303, `/partners/${p.id}`);
  }
}

/** A starting suggestion for the tier select on approval (the manager chooses). */
function suggestTierFromTotal(total: string): Tier {
  const t = Number(total);
  return t >= 90 ? 'A' : t >= 75 ? 'B' : 'C';
}
