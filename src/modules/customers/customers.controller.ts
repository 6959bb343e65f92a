import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx } from '../../core/export/xlsx.util';
import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { buildPager, parseListQuery } from '../../core/web/list-query';
import { resolvePartnerFilter } from '../../core/web/partner-filter';
import { RegionsService } from '../regions/regions.service';
import { CUSTOMER_LIST, CustomerDirectoryService, parseCustomerFilter } from './customer-directory.service';
import { CUSTOMER_CSV_COLUMNS } from './customer-import.util';
import { CUSTOMER_CLASSES, CUSTOMER_STAGES } from './customer-rules.util';
import { CustomersService } from './customers.service';
import { ChangeStageFormDto, ReassignFormDto } from './dto/customer.dto';
import { uploadInterceptor } from '../../core/web/upload';
import { JobWork } from '../../core/jobs/job-work.service';
import { CUSTOMERS_IMPORT_JOB } from './customers.jobs';
import { CustomerMasterDataService } from './customer-master-data.service';

const XLSX_MAX_ROWS = 100_000;

/** Manager pages: customer list, detail with histories, reassign and stage forms, CSV import. */
@ApiExcludeController()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService, private readonly directory: CustomerDirectoryService,
    private readonly regions: RegionsService, private readonly work: JobWork, private readonly masterData: CustomerMasterDataService, private readonly scope: RegionScopeService) {}

  /** The customer list: filter, sort by column, numbered pages, and the same list as Excel (`?format=xlsx`). */
  @Get()
  @Roles('admin', 'channel_manager')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filter = parseCustomerFilter(query);
    filter.scope = await this.scope.forActor(actor);
    // a typed spelling (Anshun, 安顺) finds the list's name (安顺市)
    if (filter.region) filter.region = (await this.regions.matcher())(filter.region) ?? filter.region;
    const list = parseListQuery(query, CUSTOMER_LIST);
    // the partner is typed as its code (see resolvePartnerFilter), not picked from every partner
    const { typed, partner } = await resolvePartnerFilter(query, filter, { byCode: (c) => this.directory.partnerByCode(c), byId: (id) => this.directory.partnerById(id) });
    if (query.format === 'xlsx') {
      const all = await this.directory.list(filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      const filters: [string, string][] = [];
      if (filter.q) filters.push([req.t('customers:filter.q'), filter.q]);
      if (filter.region) filters.push([req.t('customers:filter.region'), filter.region]);
      if (filter.customerClass) filters.push([req.t('customers:filter.class'), filter.customerClass]);
      if (filter.stage) filters.push([req.t('customers:filter.stage'), req.t(`customers:stage.${filter.stage}`)]);
      if (filter.partnerId) filters.push([req.t('customers:filter.partner'), partner ? `${partner.code} ${partner.name}` : String(filter.partnerId)]);
      await sendXlsx(res, `${req.t('customers:list.title')}.xlsx`, {
        title: req.t('customers:list.title'), exportedAtLabel: req.t('common:list.exportedAt'), filters,
        columns: [
          { header: req.t('customers:col.code'), key: 'code', width: 14 },
          { header: req.t('customers:col.name'), key: 'name', width: 30 },
          { header: req.t('customers:col.industry'), key: 'industry', width: 14 },
          { header: req.t('customers:col.region'), key: 'region', width: 14 },
          { header: req.t('customers:col.class'), key: 'customerClass', width: 10 },
          { header: req.t('customers:col.stage'), key: 'stageLabel', width: 12 },
          { header: req.t('customers:col.holder'), key: 'holder', width: 32 },
          { header: req.t('customers:col.since'), key: 'validFrom', kind: 'date', width: 12 },
        ],
        rows: all.rows.map((r) => ({
          ...r, stageLabel: req.t(`customers:stage.${r.stage}`),
          holder: r.partnerCode ? `${r.partnerCode} ${r.partnerName ?? ''}` : r.managerName ? `${req.t('glossary:channelManager')} ${r.managerName}` : req.t('customers:list.unassigned'),
        })),
      });
      return;
    }
    const [{ rows, total }, regions] = await Promise.all([this.directory.list(filter, list), this.regions.tree()]);
    res.render('customers/list', {
      title: 'customers:list.title', rows, total, filters: filter, regions, partnerText: partner?.code ?? typed,
      classes: CUSTOMER_CLASSES, stages: CUSTOMER_STAGES, list, pager: buildPager(total, list, '/customers', query),
    });
  }

  @Get('import')
  @Roles('admin', 'channel_manager')
  @Render('customers/import')
  async importPage() {
    return { title: 'customers:import.title', columns: CUSTOMER_CSV_COLUMNS.join(','), prefectures: (await this.regions.prefectureNames()).join('、') };
  }

  @Post('import')
  @Roles('admin', 'channel_manager')
  @UseInterceptors(uploadInterceptor(50 * 1024 * 1024))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: { buffer: Buffer; originalname?: string } | undefined, @Res() res: Response) {
    if (!file) throw new RuleViolation('customers:errors.chooseFile', 'file');
    // a job (any process; the file kept in the database): the person follows it at /jobs/:id
    res.redirect(303, `/jobs/${await this.work.start(CUSTOMERS_IMPORT_JOB, actor, {}, file)}`);
  }

  @Get(':id')
  @Roles('admin', 'channel_manager')
  @Render('customers/detail')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const customer = await this.customers.assertVisible(actor, id);
    const { partners, managers } = await this.directory.holderOptions(await this.scope.forActor(actor));
    const assignments = await this.directory.assignmentsWithNames(id);
    return {
      title: `${customer.name} (${customer.code})`,
      customer, assignments, current: assignments.find((a) => !a.validTo) ?? null,
      stages: (await this.customers.stageHistory(id)), stageOptions: CUSTOMER_STAGES.filter((s) => s !== customer.stage),
      partners, managers, today: todayIso(), changes: await this.masterData.changes(id), classOptions: CUSTOMER_CLASSES.filter((c) => c !== customer.customerClass),
    };
  }

  @Post(':id/reassign')
  @Roles('admin', 'channel_manager')
  async reassign(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReassignFormDto, @Req() req: Request, @Res() res: Response) {
    const m = /^(p|m):(\d+)$/.exec(dto.holder);
    await this.scope.assertCustomer(actor, id);
    if (!m) throw new RuleViolation('customers:errors.chooseHolder', 'holder');
    const to = m[1] === 'p' ? { partnerId: Number(m[2]) } : { managerUserId: Number(m[2]) };
    try {
      await this.customers.reassign(actor, id, to, dto.effectiveOn, dto.reason, undefined, { overrideReason: dto.overrideReason });
    } catch (e) {
      // the page picks both kinds of holder from one list: show the refusal beside it
      if (e instanceof RuleViolation && (e.field === 'partnerId' || e.field === 'managerUserId')) throw new RuleViolation(e.message, 'holder', e.params);
      throw e;
    }
    req.flash('success', 'customers:flash.reassigned', { date: dto.effectiveOn });
    res.redirect(303, `/customers/${id}`);
  }

  @Post(':id/stage')
  @Roles('admin', 'channel_manager')
  async stage(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ChangeStageFormDto, @Req() req: Request, @Res() res: Response) {
    await this.scope.assertCustomer(actor, id);
    try {
      await this.customers.changeStage(actor, id, dto.stage, dto.stageOn, dto.stageReason);
    } catch (e) {
      const field: Record<string, string> = { effectiveOn: 'stageOn', reason: 'stageReason' };
      if (e instanceof RuleViolation && e.field && field[e.field]) throw new RuleViolation(e.message, field[e.field], e.params);
      throw e;
    }
    req.flash('success', 'customers:flash.stageChanged', { stage: req.t(`customers:stage.${dto.stage}`), date: dto.stageOn });
    res.redirect(303, `/customers/${id}`);
  }
}
