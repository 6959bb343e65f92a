import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Post, Put, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { Roles } from '../../core/auth/roles.decorator';
import { Tier } from '../partners/partner.entity';
import { PartnerStatus } from '../partners/partner-status.util';
import { toApplicationInput } from './apply.controller';
import { APPLICATION_LIST, APPLICATION_STATUSES, ApplicationsService } from './applications.service';
import { parseListQuery } from '../../core/web/list-query';
import { UPLOAD_LIMIT, UploadedCsv } from './onboarding-admin.controller';
import { OnboardingSettingsService } from './onboarding-settings.service';
import { AcceptTierDto, ActivateDto, ApplicationDto, CriteriaDto, DecisionDto, OverrideTierDto, ReviewDto, SettingsDto, TierPolicyDto } from './onboarding.dto';
import { PartnerImportService } from './partner-import.service';
import { TierReviewService } from './tier-review.service';
import { uploadInterceptor } from '../../core/web/upload';

const MANAGERS = ['admin', 'channel_manager'] as const;

@ApiTags('onboarding')
@Controller('api/onboarding')
export class OnboardingApiController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly settings: OnboardingSettingsService,
    private readonly importer: PartnerImportService,
    private readonly tiers: TierReviewService,
    private readonly scope: RegionScopeService,
  ) {}

  @Get('applications')
  @Roles(...MANAGERS)
  async list(@CurrentUser() actor: Actor, @Query('status') status?: string) {
    const filter = { status: APPLICATION_STATUSES.includes(status as PartnerStatus) ? (status as PartnerStatus) : undefined, scope: await this.scope.forActor(actor) };
    return (await this.applications.list(filter, { ...parseListQuery({}, APPLICATION_LIST), size: 500 }, { withTotal: false })).rows;
  }

  @Post('applications')
  @Roles(...MANAGERS)
  async create(@CurrentUser() actor: Actor, @Body() dto: ApplicationDto) {
    const { application, partner } = await this.applications.apply(actor, toApplicationInput(dto), 'manager');
    return { applicationId: application.id, partnerId: partner.id, reference: partner.code, status: partner.status };
  }

  @Get('applications/:id')
  @Roles(...MANAGERS)
  async get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const { application, partner, review } = await this.applications.get(id, undefined, actor);
    const { version: _v, ...p } = partner;
    return { application, partner: { ...p, bankAccountNo: undefined }, review };
  }

  @Post('applications/:id/review')
  @Roles(...MANAGERS)
  review(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReviewDto) {
    return this.applications.saveReview(actor, id, { scores: dto.scores, comments: dto.comments });
  }

  @Post('applications/:id/decide')
  @Roles(...MANAGERS)
  async decide(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: DecisionDto) {
    const p = await this.applications.decide(actor, id, { decision: dto.decision, reason: dto.reason, tier: (dto.tier || null) as Tier | null });
    return { partnerId: p.id, status: p.status, tier: p.tier, certificationId: p.certificationId };
  }

  @Post('applications/:id/activate')
  @Roles(...MANAGERS)
  async activate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ActivateDto) {
    const p = await this.applications.activate(actor, id, dto.contractSignedOn);
    return { partnerId: p.id, status: p.status, contractSignedOn: p.contractSignedOn };
  }

  @Get('criteria')
  @Roles(...MANAGERS)
  criteria() {
    return this.settings.criteria();
  }

  @Put('criteria')
  @Roles('admin')
  replaceCriteria(@CurrentUser() actor: Actor, @Body() dto: CriteriaDto) {
    return this.settings.replaceCriteria(actor, dto.criteria);
  }

  @Get('settings')
  @Roles(...MANAGERS)
  getSettings() {
    return this.settings.settings();
  }

  @Put('settings')
  @Roles('admin')
  putSettings(@CurrentUser() actor: Actor, @Body() dto: SettingsDto) {
    return this.settings.updateSettings(actor, dto);
  }

  @Put('tier-policy')
  @Roles('admin')
  putTierPolicy(@CurrentUser() actor: Actor, @Body() dto: TierPolicyDto) {
    return this.settings.updateTierPolicies(actor, dto.policies);
  }

  @Post('import')
  @Roles('admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(uploadInterceptor(UPLOAD_LIMIT.limits.fileSize, UPLOAD_LIMIT))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: UploadedCsv | undefined) {
    if (!file?.buffer?.length) throw new BadRequestException({ message: 'onboarding:import.multipartField', field: 'file' });
    return this.importer.import(actor, file.buffer);
  }

  @Get('tier-proposals')
  @Roles(...MANAGERS)
  proposals() {
    return this.tiers.pending();
  }

  @Post('tier-proposals')
  @Roles(...MANAGERS)
  propose(@CurrentUser() actor: Actor) {
    return this.tiers.propose(actor);
  }

  @Post('tier-proposals/:id/accept')
  @Roles(...MANAGERS)
  accept(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: AcceptTierDto) {
    return this.tiers.accept(actor, id, dto.reason);
  }

  @Post('tier-proposals/:id/override')
  @Roles(...MANAGERS)
  override(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: OverrideTierDto) {
    return this.tiers.override(actor, id, dto.tier, dto.reason);
  }
}
