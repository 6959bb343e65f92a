import { Body, Controller, Get, Post, Query, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { localMinuteOf } from './date.util';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { CustomersService } from '../customers/customers.service';
import { RECORD_TYPES } from './duty-rules.util';
import { DutyViewsService } from './duty-views.service';
import { ItemQueryDto, SubmitRecordDto } from './dto/duties.dto';
import { RECORD_CSV_COLUMNS, RECORD_CSV_OPTIONAL, RecordsService } from './records.service';

/** Partner pages: my customers with progress, my duties this quarter, records (form, list, CSV upload). */
@ApiExcludeController()
@Controller('my')
export class MyDutiesController {
  constructor(private readonly views: DutyViewsService, private readonly records: RecordsService, private readonly customers: CustomersService) {}

  @Get('customers')
  @Roles('partner')
  @Render('my/customers')
  async myCustomers(@CurrentUser() actor: Actor, @Query() q: ItemQueryDto) {
    const period = q.period ?? periodOfDate(todayIso()).code;
    const rows = await this.views.myCustomers(actor.partnerId!, period);
    return { title: 'My customers', period, rows };
  }

  @Get('duties')
  @Roles('partner')
  @Render('my/duties')
  async myDuties(@CurrentUser() actor: Actor, @Query() q: ItemQueryDto) {
    const today = todayIso();
    const period = q.period ?? periodOfDate(today).code;
    const items = (await this.views.items(period, { partnerId: actor.partnerId! }, { includeClosed: true }))
      .map((i: { status: string; dueDate: string }) => ({ ...i, overdue: i.status === 'open' && i.dueDate < today }));
    return { title: 'My duties', period, items, today, overdue: items.filter((i: { overdue: boolean }) => i.overdue).length };
  }

  @Get('records')
  @Roles('partner')
  @Render('my/records')
  async list(@CurrentUser() actor: Actor, @Query() q: ItemQueryDto) {
    const rows = await this.records.listForPartner(actor.partnerId!, { period: q.period });
    return { title: 'My service records', rows, period: q.period, columns: [...RECORD_CSV_COLUMNS, ...RECORD_CSV_OPTIONAL].join(',') };
  }

  @Get('records/new')
  @Roles('partner')
  @Render('my/records-new')
  async newRecord(@CurrentUser() actor: Actor, @Query('customerId') customerId?: string) {
    const customers = await this.customers.listCurrentByPartner(actor.partnerId!);
    return { title: 'New service record', customers, recordTypes: RECORD_TYPES, selected: customerId ?? '', now: localMinuteOf(new Date()) };
  }

  @Post('records')
  @Roles('partner')
  async submit(@CurrentUser() actor: Actor, @Body() dto: SubmitRecordDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.records.submit(actor, dto);
    req.flash('success', `Record saved${r.ticked ? `; it counted towards ${r.ticked} checklist item(s)` : ''}.`);
    res.redirect(303, '/my/records');
  }

  @Post('records/import')
  @Roles('partner')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 20 * 1024 * 1024 } }))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: { buffer: Buffer } | undefined, @Req() req: Request, @Res() res: Response) {
    if (!file) throw new RuleViolation('Choose a CSV file to upload.', 'file');
    const r = await this.records.importCsv(actor, file.buffer);
    req.flash('success', `Imported ${r.records} record(s); ${r.ticked} checklist tick(s).`);
    res.redirect(303, '/my/records');
  }
}
