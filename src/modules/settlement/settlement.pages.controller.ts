import { Body, Controller, Get, Logger, Param, ParseIntPipe, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { sendXlsx } from '../../core/export/xlsx.util';
import { tDeep } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { PartnersService } from '../partners/partners.service';
import { parseOverrides } from './overrides.util';
import { BATCH_LIST, BatchFilter, INQUIRY_LIST, InquiryFilter, LINE_LIST, SettlementBatchService } from './settlement-batch.service';
import { AdjustmentDecisionForm, AdjustmentForm, ApproveForm, InquiryAnswerForm, PayLinesForm, ReasonForm, RunForm } from './settlement-forms.dto';
import { BATCH_KINDS, BATCH_STATUSES, MANUAL_ADJUSTMENT_KINDS } from './settlement.entities';
import { ACCRUAL_IMPORT_JOB, SETTLEMENT_RUN_JOB } from './settlement.jobs';
import { JobWork } from '../../core/jobs/job-work.service';
import { parsePeriod, todayIso } from '../../core/period/period.util';
import { SettlementService } from './settlement.service';
import { sendStatementXlsx } from './statement-xlsx';
import { StatementService } from './statement.service';
import { uploadInterceptor } from '../../core/web/upload';

const UPLOAD = uploadInterceptor(200 * 1024 * 1024);
type Upload = { buffer: Buffer; originalname: string } | undefined;
const need = (f: Upload): NonNullable<Upload> => { if (!f) throw new RuleViolation('settlement:errors.chooseFile', 'file'); return f; };
const XLSX_MAX_ROWS = 100_000;
const INQUIRY_STATUSES = ['open', 'accepted', 'rejected'];
/** the kinds finance may enter by hand (carry-forward and inquiry lines are written by the system) */
const FORM_KINDS = MANUAL_ADJUSTMENT_KINDS;
const PERIOD = /^\d{4}Q[1-4]$/;
const pick = (v: string | undefined, allowed: readonly string[]) => (v && allowed.includes(v) ? v : undefined);

/** Finance pages: imports, runs, approval preview, export, payment, adjustments, inquiries, any partner's statement. */
@ApiExcludeController()
@Controller('settlement')
@Roles('admin', 'finance')
export class SettlementPagesController {
  private readonly logger = new Logger('Settlement');
  constructor(
    private readonly work: JobWork,
    private readonly batches: SettlementBatchService,
    private readonly settlement: SettlementService,
    private readonly statements: StatementService,
    private readonly partners: PartnersService,
  ) {}

  /** Batches (default) or inquiries (`?view=inquiries`): filtered, sorted, paged, and as Excel (`?format=xlsx`). */
  @Get()
  async index(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const q = plainQuery(query);
    const tr = (key: string, params?: Record<string, unknown>) => tDeep(req.lang, key, params);
    const period = q.period && PERIOD.test(q.period.trim().toUpperCase()) ? q.period.trim().toUpperCase() : undefined;
    if (q.view === 'inquiries') {
      const filter: InquiryFilter = { status: pick(q.status, INQUIRY_STATUSES), period, q: q.q?.trim().slice(0, 100) || undefined };
      if (query.format === 'xlsx') {
        const all = await this.batches.inquiries(filter, { ...parseListQuery(query, INQUIRY_LIST), offset: 0, size: XLSX_MAX_ROWS });
        await sendXlsx(res, `${tr('settlement:inquiries.title')}.xlsx`, {
          title: tr('settlement:inquiries.title'), exportedAtLabel: tr('common:list.exportedAt'),
          filters: filterLines(tr, { status: filter.status && `settlement:inquiryStatus.${filter.status}`, period: filter.period, q: filter.q }),
          columns: [
            { header: tr('settlement:col.id'), key: 'id', kind: 'number', width: 8 },
            { header: tr('settlement:col.partnerCode'), key: 'partnerCode', width: 14 },
            { header: tr('settlement:col.partnerName'), key: 'partnerName', width: 30 },
            { header: tr('settlement:col.period'), key: 'period' },
            { header: tr('settlement:col.batch'), key: 'batchId', kind: 'number' },
            { header: tr('settlement:col.amount'), key: 'amount', kind: 'money', width: 14 },
            { header: tr('settlement:col.reason'), key: 'reason', width: 40 },
            { header: tr('settlement:col.status'), key: 'statusLabel' },
            { header: tr('settlement:col.answer'), key: 'answer', width: 40 },
            { header: tr('settlement:col.raisedAt'), key: 'raisedAt', kind: 'datetime', width: 18 },
            { header: tr('settlement:col.answeredAt'), key: 'answeredAt', kind: 'datetime', width: 18 },
          ],
          rows: all.rows.map((r) => ({ ...r, statusLabel: tr(`settlement:inquiryStatus.${r.status}`) })),
        });
        return;
      }
      const list = parseListQuery(query, INQUIRY_LIST);
      const { rows, total } = await this.batches.inquiries(filter, list);
      res.render('settlement/inquiries', { title: 'settlement:inquiries.title', inquiries: rows, filter, statuses: INQUIRY_STATUSES, list, pager: buildPager(total, list, '/settlement', query) });
      return;
    }
    const filter: BatchFilter = { period, kind: pick(q.kind, BATCH_KINDS), status: pick(q.status, BATCH_STATUSES) };
    if (query.format === 'xlsx') {
      const all = await this.batches.page(filter, { ...parseListQuery(query, BATCH_LIST), offset: 0, size: XLSX_MAX_ROWS });
      await sendXlsx(res, `${tr('settlement:batches.title')}.xlsx`, {
        title: tr('settlement:batches.title'), exportedAtLabel: tr('common:list.exportedAt'),
        filters: filterLines(tr, { period: filter.period, kind: filter.kind && `settlement:batchKind.${filter.kind}`, status: filter.status && `settlement:batchStatus.${filter.status}` }),
        columns: [
          { header: tr('settlement:col.batch'), key: 'id', kind: 'number', width: 8 },
          { header: tr('settlement:col.period'), key: 'period' },
          { header: tr('settlement:col.kind'), key: 'kindLabel', width: 14 },
          { header: tr('settlement:col.status'), key: 'statusLabel' },
          { header: tr('settlement:col.partnerCode'), key: 'partnerCode', width: 14 },
          { header: tr('settlement:col.lines'), key: 'lineCount', kind: 'number' },
          { header: tr('settlement:col.totalPay'), key: 'totalPay', kind: 'money', width: 16 },
          { header: tr('settlement:col.computed'), key: 'computedAt', kind: 'datetime', width: 18 },
          { header: tr('settlement:col.approved'), key: 'approvedAt', kind: 'datetime', width: 18 },
          { header: tr('settlement:col.paid'), key: 'paidAt', kind: 'datetime', width: 18 },
        ],
        rows: all.rows.map((r) => ({ ...r, kindLabel: tr(`settlement:batchKind.${r.kind}`), statusLabel: tr(`settlement:batchStatus.${r.status}`) })),
      });
      return;
    }
    const list = parseListQuery(query, BATCH_LIST);
    const [{ rows, total }, adjustments, imports] = await Promise.all([
      this.batches.page(filter, list),
      this.settlement.listAdjustments({ pendingOnly: true }),
      this.batches.listImports(),
    ]);
    res.render('settlement/index', {
      title: 'settlement:index.title', batches: rows, adjustments, imports, filter, kinds: BATCH_KINDS, statuses: BATCH_STATUSES, formKinds: FORM_KINDS,
      list, pager: buildPager(total, list, '/settlement', query),
    });
  }

  @Post('accruals/import')
  @UseInterceptors(UPLOAD)
  async importAccruals(@CurrentUser() actor: Actor, @UploadedFile() file: Upload, @Body('period') period: string, @Req() req: Request, @Res() res: Response) {
    const f = need(file);
    parsePeriod(period); // a wrong period is refused on the form, before any job
    // runs as a job (any process, the file kept in the database); the person follows it at /jobs/:id
    const jobId = await this.work.start(ACCRUAL_IMPORT_JOB, actor, { period }, f);
    res.redirect(303, `/jobs/${jobId}`);
  }

  @Post('run')
  async run(@CurrentUser() actor: Actor, @Body() body: RunForm, @Req() req: Request, @Res() res: Response) {
    const codes = parseOverrides(body.overrides);
    const found = await this.partners.findByCodes(Object.keys(codes));
    const unknown = Object.keys(codes).filter((c) => !found.has(c));
    if (unknown.length) throw new RuleViolation('settlement:errors.unknownOverrideCodes', 'overrides', { codes: unknown.join(', ') });
    const overrides = Object.fromEntries(Object.entries(codes).map(([c, reason]) => [found.get(c)!.id, reason]));
    parsePeriod(body.period);
    const jobId = await this.work.start(SETTLEMENT_RUN_JOB, actor, { period: body.period, supplementary: body.supplementary === 'on' || body.supplementary === 'true', overrides });
    res.redirect(303, `/jobs/${jobId}`);
  }

  /** The approval preview: one line per partner, filtered by partner, sorted by any column, paged, and as Excel. */
  @Get('batches/:id')
  async batch(@Param('id', ParseIntPipe) id: number, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const q = plainQuery(query).q?.trim().slice(0, 100) || undefined;
    const tr = (key: string, params?: Record<string, unknown>) => tDeep(req.lang, key, params);
    if (query.format === 'xlsx') {
      const list = parseListQuery(query, LINE_LIST);
      const p = await this.batches.preview(id, { sort: list.sort, dir: list.dir, limit: XLSX_MAX_ROWS, offset: 0, q });
      const title = tr('settlement:batch.xlsxTitle', { id, period: p.batch.period });
      await sendXlsx(res, `${title}.xlsx`, {
        title, exportedAtLabel: tr('common:list.exportedAt'),
        filters: [
          [tr('settlement:col.kind'), tr(`settlement:batchKind.${p.batch.kind}`)], [tr('settlement:col.status'), tr(`settlement:batchStatus.${p.batch.status}`)],
          ...filterLines(tr, { q }),
        ],
        columns: [
          { header: tr('settlement:col.partnerCode'), key: 'partner_code', width: 14 },
          { header: tr('settlement:col.partnerName'), key: 'partner_name', width: 30 },
          { header: tr('settlement:col.lines'), key: 'accrual_count', kind: 'number' },
          { header: tr('settlement:col.accrued'), key: 'accrued', kind: 'money', width: 16 },
          { header: tr('settlement:col.scoreY'), key: 'score_y', kind: 'number' },
          { header: tr('settlement:col.coefficientP'), key: 'coefficient_p', kind: 'coefficient', width: 14 },
          { header: tr('settlement:col.basePay'), key: 'base_pay', kind: 'money', width: 16 },
          { header: tr('settlement:col.qualityPay'), key: 'quality_pay', kind: 'money', width: 16 },
          { header: tr('settlement:col.withheld'), key: 'withheld', kind: 'money', width: 16 },
          { header: tr('settlement:col.adjustments'), key: 'adjustments', kind: 'money', width: 16 },
          { header: tr('settlement:col.totalPay'), key: 'total_pay', kind: 'money', width: 16 },
          { header: tr('settlement:col.carryForward'), key: 'carry_forward', kind: 'money', width: 16 },
          { header: tr('settlement:col.previous'), key: 'previous_total_pay', kind: 'money', width: 16 },
          { header: tr('settlement:col.delta'), key: 'delta', kind: 'money', width: 16 },
          { header: tr('settlement:col.note'), key: 'note', width: 40 },
        ],
        rows: (p.lines as Record<string, unknown>[]).map((l) => ({ ...l, note: [l.p_override_reason ? tr('settlement:batch.overrideNote', { reason: l.p_override_reason }) : '', l.score_note ?? ''].filter(Boolean).join('；') })),
      });
      return;
    }
    const list = parseListQuery(query, LINE_LIST);
    const p = await this.batches.preview(id, { sort: list.sort, dir: list.dir, limit: list.size, offset: list.offset, q });
    res.render('settlement/batch', {
      title: tr('settlement:batch.title', { id, period: p.batch.period }), ...p, filter: { q }, list, pager: buildPager(p.matching, list, `/settlement/batches/${id}`, query),
      isDraft: p.batch.status === 'draft', isApproved: p.batch.status === 'approved', isExported: p.batch.status === 'exported',
      showPayment: p.batch.status === 'exported' || p.batch.status === 'paid', today: todayIso(),
    });
  }

  @Post('batches/:id/approve')
  async approve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: ApproveForm, @Req() req: Request, @Res() res: Response) {
    const acknowledge = body.acknowledge === undefined ? [] : ([] as string[]).concat(body.acknowledge);
    const b = await this.batches.approve(actor, id, body.comment, body.version ? Number(body.version) : undefined, undefined, acknowledge);
    req.flash('success', b.status === 'approved' ? 'settlement:flash.approved' : 'money:flash.firstApproval', { id });
    res.redirect(303, `/settlement/batches/${id}`);
  }

  @Post('batches/:id/cancel')
  async cancel(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() { reason }: ReasonForm, @Req() req: Request, @Res() res: Response) {
    await this.batches.cancel(actor, id, reason);
    req.flash('success', 'settlement:flash.cancelled', { id });
    res.redirect(303, '/settlement');
  }

  /** The payout file keeps its exact columns (the bank's system reads it). Finance only: it carries full bank accounts,
   *  which the masking rule shows to finance alone (an admin's copy would have to be masked — useless to the bank). */
  @Post('batches/:id/export')
  @Roles('finance')
  async export(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const out = await this.batches.export(actor, id);
    res.attachment(out.fileName).type('text/csv').send(out.csv);
  }

  /** The payout file again after export (#16): the same bytes as exported, a read (no status change). */
  @Get('batches/:id/payout.csv')
  @Roles('finance')
  async payout(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const out = await this.batches.exportedPayoutFiles(id);
    this.logger.log(`payout file of batch ${id} read by ${actor.username}`);
    res.attachment(out.fileName).type('text/csv').send(out.csv);
  }

  @Get('batches/:id/control.csv')
  async control(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    // a read: the control totals as they are, no audit entry (who downloaded it is in the request log)
    const out = await this.batches.exportedPayoutFiles(id);
    this.logger.log(`control totals of batch ${id} read by ${actor.username}`);
    res.attachment(`${out.fileName}.control.csv`).type('text/csv').send(out.control);
  }

  @Post('batches/:id/paid')
  async paid(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: PayLinesForm, @Req() req: Request, @Res() res: Response) {
    const lineIds = body.scope === 'selected' ? ([] as string[]).concat(body.line ?? []) : 'all';
    const r = await this.batches.markLinesPaid(actor, id, { lineIds, reference: body.comment ?? '', paidOn: body.paidOn ?? '' });
    req.flash('success', r.batchPaid ? 'settlement:flash.linesPaidBatchPaid' : 'settlement:flash.linesPaid', { id, count: r.lines });
    res.redirect(303, `/settlement/batches/${id}`);
  }

  @Post('payments/import')
  @UseInterceptors(UPLOAD)
  async payments(@CurrentUser() actor: Actor, @UploadedFile() file: Upload, @Req() req: Request, @Res() res: Response) {
    const r = await this.batches.importPaymentConfirmation(actor, need(file).buffer);
    req.flash('success', 'settlement:flash.paymentsMatched', { count: r.lines, batches: r.batchIds.map((b) => `#${b}`).join(', ') });
    res.redirect(303, '/settlement');
  }

  @Post('adjustments')
  async addAdjustment(@CurrentUser() actor: Actor, @Body() body: AdjustmentForm, @Req() req: Request, @Res() res: Response) {
    const code = (body.partnerCode ?? '').trim();
    if (!code) throw new RuleViolation('settlement:errors.partnerCodeRequired', 'partnerCode');
    const partner = await this.partners.findByCode(code);
    if (!partner) throw new RuleViolation('settlement:errors.unknownPartner', 'partnerCode', { code });
    const a = await this.settlement.addAdjustment(actor, { partnerId: partner.id, amount: body.amount, kind: body.kind as never, reason: body.reason, reference: body.reference });
    req.flash('success', a.status === 'pending' ? 'money:flash.adjustmentPending' : 'settlement:flash.adjustmentAdded', { reference: body.reference, code: partner.code });
    res.redirect(303, '/settlement');
  }

  /** Four eyes on a large manual adjustment: another finance user approves or rejects it (#16). */
  @Post('adjustments/:id/decide')
  async decideAdjustment(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: AdjustmentDecisionForm, @Req() req: Request, @Res() res: Response) {
    await this.settlement.decideAdjustment(actor, id, body.decision as 'approve' | 'reject', body.note ?? '');
    req.flash('success', body.decision === 'approve' ? 'money:flash.adjustmentApproved' : 'money:flash.adjustmentRejected', { id });
    res.redirect(303, '/settlement');
  }

  @Post('adjustments/import')
  @UseInterceptors(UPLOAD)
  async importAdjustments(@CurrentUser() actor: Actor, @UploadedFile() file: Upload, @Req() req: Request, @Res() res: Response) {
    const n = await this.settlement.importAdjustments(actor, need(file).buffer);
    req.flash('success', 'settlement:flash.adjustmentsImported', { count: n });
    res.redirect(303, '/settlement');
  }

  @Post('inquiries/:id/answer')
  async answer(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: InquiryAnswerForm, @Req() req: Request, @Res() res: Response) {
    await this.statements.answerInquiry(actor, id, body.decision === 'accept', body.answer);
    req.flash('success', body.decision === 'accept' ? 'settlement:flash.inquiryAccepted' : 'settlement:flash.inquiryRejected', { id });
    res.redirect(303, req.get('referer') ?? '/settlement');
  }

  /** Any partner's statement (对账单); `?format=xlsx` gives it as an Excel file. */
  @Get('statements/:partnerId/:period')
  async statement(@CurrentUser() actor: Actor, @Param('partnerId', ParseIntPipe) partnerId: number, @Param('period') period: string, @Query('format') format: unknown, @Req() req: Request, @Res() res: Response) {
    const s = await this.statements.statement(actor, partnerId, period);
    if (format === 'xlsx') { await sendStatementXlsx(req, res, s); return; }
    res.render('settlement/statement', {
      title: tDeep(req.lang, 'settlement:statement.title', { code: s.partner.code, period: s.period }), ...s,
      csvHref: `/settlement/statements/${partnerId}/${s.period}/csv`, xlsxHref: `/settlement/statements/${partnerId}/${s.period}?format=xlsx`,
    });
  }

  @Get('statements/:partnerId/:period/csv')
  async statementCsv(@CurrentUser() actor: Actor, @Param('partnerId', ParseIntPipe) partnerId: number, @Param('period') period: string, @Res() res: Response) {
    res.attachment(`statement-${partnerId}-${period}.csv`).type('text/csv').send(await this.statements.statementCsv(actor, partnerId, period));
  }
}

/** [label, value] lines of the filters that are set, for the Excel header block. */
function filterLines(tr: (key: string) => string, filter: Record<string, string | undefined>): [string, string][] {
  return Object.entries(filter).filter(([, v]) => v).map(([k, v]) => [tr(`settlement:filter.${k}`), tr(v!)]);
}
