import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { COOPERATION_TYPES } from '../partners/partner.entity';
import { PartnersService } from '../partners/partners.service';
import { OnboardingSettingsService } from './onboarding-settings.service';
import { AcceptTierDto, CriteriaDto, OverrideTierDto, SettingsDto, TierPolicyDto } from './onboarding.dto';
import { PARTNER_IMPORT_COLUMNS, PARTNER_IMPORT_OPTIONAL } from './partner-import.util';
import { TierReviewService } from './tier-review.service';
import { JobWork } from '../../core/jobs/job-work.service';
import { PARTNERS_IMPORT_JOB } from './onboarding.jobs';
import { uploadInterceptor } from '../../core/web/upload';

/** What multer's memory storage hands over (no @types/multer in the project). */
export interface UploadedCsv { buffer: Buffer; originalname: string; size: number }

export const UPLOAD_LIMIT = { limits: { fileSize: 20 * 1024 * 1024, files: 1 }, defParamCharset: 'utf8' };

/** Admin settings (criteria, pass mark, thresholds, tier policy), the partner import page and tier re-evaluation. */
@ApiExcludeController()
@Controller('onboarding')
export class OnboardingAdminController {
  constructor(
    private readonly settings: OnboardingSettingsService,
    private readonly partners: PartnersService,
    private readonly work: JobWork,
    private readonly tiers: TierReviewService,
  ) {}

  @Get('settings')
  @Roles('admin')
  @Render('onboarding/settings')
  async settingsPage() {
    const [criteria, settings, policies] = await Promise.all([this.settings.criteria(), this.settings.settings(), this.partners.tierPolicies()]);
    const weightSum = criteria.filter((c) => c.active).reduce((a, c) => a + c.weight, 0);
    return { title: 'onboarding:settings.title', criteria, config: settings, policies, weightSum, nextIndex: criteria.length };
  }

  @Post('settings')
  @Roles('admin')
  async saveSettings(@CurrentUser() actor: Actor, @Body() dto: SettingsDto, @Req() req: Request, @Res() res: Response) {
    await this.settings.updateSettings(actor, dto);
    req.flash('success', 'onboarding:flash.settingsSaved');
    res.redirect(303, '/onboarding/settings');
  }

  @Post('settings/criteria')
  @Roles('admin')
  async saveCriteria(@CurrentUser() actor: Actor, @Body() dto: CriteriaDto, @Req() req: Request, @Res() res: Response) {
    // the form always offers one blank row for a new criterion
    const rows = (dto.criteria ?? []).filter((c) => c.id || c.name?.trim());
    await this.settings.replaceCriteria(actor, rows.map((c) => ({ ...c, active: c.active === true })));
    req.flash('success', 'onboarding:flash.criteriaSaved');
    res.redirect(303, '/onboarding/settings');
  }

  @Post('settings/tier-policy')
  @Roles('admin')
  async saveTierPolicy(@CurrentUser() actor: Actor, @Body() dto: TierPolicyDto, @Req() req: Request, @Res() res: Response) {
    await this.settings.updateTierPolicies(actor, dto.policies);
    req.flash('success', 'onboarding:flash.tierPolicySaved');
    res.redirect(303, '/onboarding/settings');
  }

  @Get('import')
  @Roles('admin')
  @Render('onboarding/import')
  importPage() {
    return { title: 'onboarding:import.title', columns: [...PARTNER_IMPORT_COLUMNS, ...PARTNER_IMPORT_OPTIONAL].join(','), types: COOPERATION_TYPES };
  }

  @Post('import')
  @Roles('admin')
  @UseInterceptors(uploadInterceptor(UPLOAD_LIMIT.limits.fileSize, UPLOAD_LIMIT))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: UploadedCsv | undefined, @Res() res: Response) {
    if (!file?.buffer?.length) throw new BadRequestException({ message: 'onboarding:import.chooseFile', field: 'file' });
    // a job (any process; the file kept in the database): the admin follows it at /jobs/:id
    res.redirect(303, `/jobs/${await this.work.start(PARTNERS_IMPORT_JOB, actor, {}, file)}`);
  }

  @Get('tiers')
  @Roles('admin', 'channel_manager')
  @Render('onboarding/tiers')
  async tiersPage() {
    const [pending, decided, settings] = await Promise.all([this.tiers.pending(), this.tiers.decided(), this.settings.settings()]);
    return { title: 'onboarding:tiers.title', pending, decided, thresholds: settings.thresholds, tiers: ['A', 'B', 'C'] };
  }

  @Post('tiers/propose')
  @Roles('admin', 'channel_manager')
  async propose(@CurrentUser() actor: Actor, @Req() req: Request, @Res() res: Response) {
    const r = await this.tiers.propose(actor);
    req.flash('success', 'onboarding:flash.proposed', { ...r });
    res.redirect(303, '/onboarding/tiers');
  }

  @Post('tiers/:id/accept')
  @Roles('admin', 'channel_manager')
  async accept(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: AcceptTierDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.tiers.accept(actor, id, dto.reason);
    req.flash('success', 'onboarding:flash.tierAccepted', { tier: r.decidedTier });
    res.redirect(303, '/onboarding/tiers');
  }

  @Post('tiers/:id/override')
  @Roles('admin', 'channel_manager')
  async override(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: OverrideTierDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.tiers.override(actor, id, dto.tier, dto.reason);
    req.flash('success', 'onboarding:flash.tierOverridden', { tier: r.decidedTier });
    res.redirect(303, '/onboarding/tiers');
  }
}
