import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { CUSTOMER_CSV_COLUMNS } from './customer-import.util';
import { CustomerImportService } from './customer-import.service';
import { CUSTOMER_CLASSES, CUSTOMER_STAGES } from './customer-rules.util';
import { CustomerDirectoryService } from './customer-directory.service';
import { CustomersService } from './customers.service';
import { ChangeStageDto, CustomerQueryDto, ReassignFormDto } from './dto/customer.dto';

const PAGE_SIZE = 50;

/** Manager pages: customer list, detail with histories, reassign and stage forms, CSV import. */
@ApiExcludeController()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService, private readonly directory: CustomerDirectoryService, private readonly importer: CustomerImportService) {}

  @Get()
  @Roles('admin', 'channel_manager')
  @Render('customers/list')
  async list(@Query() q: CustomerQueryDto) {
    const page = q.page ?? 1;
    const { rows, total } = await this.directory.list(q, page, PAGE_SIZE);
    const { partners } = await this.directory.holderOptions();
    const base = { region: q.region, customerClass: q.customerClass, stage: q.stage, partnerId: q.partnerId, q: q.q };
    const link = (p: number) => `/customers?${new URLSearchParams(Object.entries({ ...base, page: p }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)] as [string, string]))}`;
    return {
      title: 'Customers', rows, total, filters: base, regions: await this.directory.regions(), partners,
      classes: CUSTOMER_CLASSES, stages: CUSTOMER_STAGES,
      prevHref: page > 1 ? link(page - 1) : null, nextHref: page * PAGE_SIZE < total ? link(page + 1) : null,
      pageLabel: `page ${page} of ${Math.max(1, Math.ceil(total / PAGE_SIZE))} (${total} customers)`,
    };
  }

  @Get('import')
  @Roles('admin', 'channel_manager')
  @Render('customers/import')
  importPage() {
    return { title: 'Import customers', columns: CUSTOMER_CSV_COLUMNS.join(',') };
  }

  @Post('import')
  @Roles('admin', 'channel_manager')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 50 * 1024 * 1024 } }))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: { buffer: Buffer; originalname?: string } | undefined, @Req() req: Request, @Res() res: Response) {
    if (!file) throw new RuleViolation('Choose a CSV file to upload.', 'file');
    const r = await this.importer.importCsv(actor, file.buffer);
    req.flash('success', `Imported ${r.customers} customer(s) and ${r.assignments} assignment(s).`);
    res.redirect(303, '/customers');
  }

  @Get(':id')
  @Roles('admin', 'channel_manager')
  @Render('customers/detail')
  async detail(@Param('id', ParseIntPipe) id: number) {
    const customer = await this.customers.getById(id);
    const { partners, managers } = await this.directory.holderOptions();
    const assignments = await this.directory.assignmentsWithNames(id);
    return {
      title: `Customer ${customer.code}`, customer, assignments, current: assignments.find((a) => !a.validTo) ?? null,
      stages: (await this.customers.stageHistory(id)), stageOptions: CUSTOMER_STAGES.filter((s) => s !== customer.stage),
      partners, managers, today: todayIso(),
    };
  }

  @Post(':id/reassign')
  @Roles('admin', 'channel_manager')
  async reassign(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReassignFormDto, @Req() req: Request, @Res() res: Response) {
    const m = /^(p|m):(\d+)$/.exec(dto.holder);
    if (!m) throw new RuleViolation('Choose a partner or a channel manager.', 'holder');
    const to = m[1] === 'p' ? { partnerId: Number(m[2]) } : { managerUserId: Number(m[2]) };
    await this.customers.reassign(actor, id, to, dto.effectiveOn, dto.reason);
    req.flash('success', `Customer reassigned from ${dto.effectiveOn}.`);
    res.redirect(303, `/customers/${id}`);
  }

  @Post(':id/stage')
  @Roles('admin', 'channel_manager')
  async stage(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ChangeStageDto, @Req() req: Request, @Res() res: Response) {
    await this.customers.changeStage(actor, id, dto.stage, dto.effectiveOn, dto.reason);
    req.flash('success', `Stage changed to ${dto.stage} from ${dto.effectiveOn}.`);
    res.redirect(303, `/customers/${id}`);
  }
}
