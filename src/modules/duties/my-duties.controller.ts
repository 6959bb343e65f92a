import { Body, Controller, Get, Post, Query, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx } from '../../core/export/xlsx.util';
import { formatDateTime } from '../../core/i18n/format.util';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { buildPager, parseListQuery } from '../../core/web/list-query';
import { CustomersService } from '../customers/customers.service';
import { localMinuteOf } from './date.util';
import { RECORD_TYPES } from './duty-rules.util';
import { dutyLabel, DutyViewsService, MY_CUSTOMERS_LIST, parseItemQuery } from './duty-views.service';
import { SubmitRecordDto } from './dto/duties.dto';
import { parseRecordFilters, RECORD_LIST, RecordsService } from './records.service';
import { RECORD_CSV_COLUMNS, RECORD_CSV_OPTIONAL } from './records-import.service';
import { sendRecordsXlsx } from './records-xlsx';
import { RECORDS_IMPORT_JOB } from './duties.jobs';
import { JobWork } from '../../core/jobs/job-work.service';
import { uploadInterceptor } from '../../core/web/upload';

const XLSX_MAX_ROWS = 100_000;

/** Partner pages: my customers with progress, my duties this quarter, records (form, list, CSV upload). */
@ApiExcludeController()
@Controller('my')
export class MyDutiesController {
  constructor(private readonly views: DutyViewsService, private readonly records: RecordsService, private readonly customers: CustomersService,
    private readonly work: JobWork) {}

  /** The partner's customers with the quarter's checklist progress (sort, pages, `?format=xlsx`). */
  @Get('customers')
  @Roles('partner')
  async myCustomers(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const period = parseItemQuery(query).period ?? periodOfDate(todayIso()).code;
    const list = parseListQuery(query, MY_CUSTOMERS_LIST);
    if (query.format === 'xlsx') {
      const all = await this.views.myCustomers(actor.partnerId!, period, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      await sendXlsx(res, `${req.t('duties:myCustomers.title')} ${period}.xlsx`, {
        title: req.t('duties:myCustomers.title'), exportedAtLabel: req.t('common:list.exportedAt'), filters: [[req.t('duties:col.period'), period]],
        columns: [
          { header: req.t('customers:col.code'), key: 'code', width: 14 },
          { header: req.t('customers:col.name'), key: 'name', width: 30 },
          { header: req.t('customers:col.industry'), key: 'industry', width: 14 },
          { header: req.t('customers:col.region'), key: 'region', width: 12 },
          { header: req.t('customers:col.class'), key: 'customerClass', width: 10 },
          { header: req.t('customers:col.stage'), key: 'stageLabel', width: 12 },
          { header: req.t('duties:col.required'), key: 'required', kind: 'number', width: 10 },
          { header: req.t('duties:col.fulfilled'), key: 'fulfilled', kind: 'number', width: 10 },
          { header: req.t('duties:col.overdue'), key: 'overdue', kind: 'number', width: 10 },
        ],
        rows: all.rows.map((r: { stage: string }) => ({ ...r, stageLabel: req.t(`customers:stage.${r.stage}`) })),
      });
      return;
    }
    const { rows, total } = await this.views.myCustomers(actor.partnerId!, period, list);
    res.render('my/customers', { title: 'duties:myCustomers.title', period, rows, list, pager: buildPager(total, list, '/my/customers', query) });
  }

  @Get('duties')
  @Roles('partner')
  @Render('my/duties')
  async myDuties(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request) {
    const today = todayIso();
    const period = parseItemQuery(query).period ?? periodOfDate(today).code;
    const items = (await this.views.items(period, { partnerId: actor.partnerId! }, { includeClosed: true }))
      .map((i: { status: string; dueDate: string; dutyName: string; dutyNameZh: string }) => ({ ...i, overdue: i.status === 'open' && i.dueDate < today, dutyLabel: dutyLabel(req.lang, i) }));
    return { title: 'duties:myDuties.title', period, items, today, overdue: items.filter((i: { overdue: boolean }) => i.overdue).length };
  }

  /** The partner's service records: filter (quarter, customer, type), sort, pages, `?format=xlsx`; and the CSV upload. */
  @Get('records')
  @Roles('partner')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filter = parseRecordFilters(query);
    const list = parseListQuery(query, RECORD_LIST);
    if (query.format === 'xlsx') {
      const all = await this.records.pageForPartner(actor.partnerId!, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      await sendRecordsXlsx(req, res, all.rows, filter);
      return;
    }
    const { rows, total } = await this.records.pageForPartner(actor.partnerId!, filter, list);
    res.render('my/records', {
      title: 'duties:records.title', rows, filter, recordTypes: RECORD_TYPES, list, pager: buildPager(total, list, '/my/records', query),
      columns: [...RECORD_CSV_COLUMNS, ...RECORD_CSV_OPTIONAL].join(','),
    });
  }

  @Get('records/new')
  @Roles('partner')
  @Render('my/records-new')
  async newRecord(@CurrentUser() actor: Actor, @Query('customerId') customerId?: string) {
    const customers = await this.customers.listCurrentByPartner(actor.partnerId!);
    // the latest allowed time, as the datetime-local input and the page show it: the business time zone (TZ)
    const now = new Date();
    return {
      title: 'duties:recordForm.title', customers, recordTypes: RECORD_TYPES, selected: typeof customerId === 'string' ? customerId : '',
      now: localMinuteOf(now), nowLabel: formatDateTime(now),
    };
  }

  @Post('records')
  @Roles('partner')
  async submit(@CurrentUser() actor: Actor, @Body() dto: SubmitRecordDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.records.submit(actor, dto);
    req.flash('success', r.ticked ? 'duties:flash.recordTicked' : 'duties:flash.recordSaved', { ticked: r.ticked });
    res.redirect(303, '/my/records');
  }

  @Post('records/import')
  @Roles('partner')
  @UseInterceptors(uploadInterceptor(20 * 1024 * 1024))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: { buffer: Buffer; originalname?: string } | undefined, @Res() res: Response) {
    if (!file) throw new RuleViolation('customers:errors.chooseFile', 'file');
    // a job (any process; the file kept in the database): the partner follows it at /jobs/:id
    res.redirect(303, `/jobs/${await this.work.start(RECORDS_IMPORT_JOB, actor, {}, file)}`);
  }
}
