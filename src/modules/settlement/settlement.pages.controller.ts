import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { RuleViolation } from '../../core/web/errors';
import { PartnersService } from '../partners/partners.service';
import { AccrualImportService } from './accrual-import.service';
import { parseOverrides } from './overrides.util';
import { PREVIEW_SORTS } from './queries/preview.sql';
import { SettlementBatchService } from './settlement-batch.service';
import { SettlementRunService } from './settlement-run.service';
import { SettlementService } from './settlement.service';
import { StatementService } from './statement.service';

const UPLOAD = FileInterceptor('file', { limits: { fileSize: 200 * 1024 * 1024 } });
type Upload = { buffer: Buffer; originalname: string } | undefined;
const need = (f: Upload): NonNullable<Upload> => { if (!f) throw new RuleViolation('Choose a CSV file to upload.', 'file'); return f; };

/** Finance pages: imports, runs, approval preview, export, payment, adjustments, inquiries, any partner's statement. */
@ApiExcludeController()
@Controller('settlement')
@Roles('admin', 'finance')
export class SettlementPagesController {
  constructor(
    private readonly imports: AccrualImportService,
    private readonly runs: SettlementRunService,
    private readonly batches: SettlementBatchService,
    private readonly settlement: SettlementService,
    private readonly statements: StatementService,
    private readonly partners: PartnersService,
  ) {}

  @Get()
  @Render('settlement/index')
  async index(@Query('period') period?: string) {
    const [batches, adjustments, imports] = await Promise.all([
      this.batches.list(period || undefined),
      this.settlement.listAdjustments({ pendingOnly: true }),
      this.batches.listImports(),
    ]);
    return { title: 'Settlement', batches, adjustments, imports, period };
  }

  @Post('accruals/import')
  @UseInterceptors(UPLOAD)
  async importAccruals(@CurrentUser() actor: Actor, @UploadedFile() file: Upload, @Body('period') period: string, @Req() req: Request, @Res() res: Response) {
    const f = need(file);
    const r = await this.imports.importStream(actor, period, Readable.from(f.buffer), { fileName: f.originalname });
    req.flash('success', `Imported ${r.lineCount} accrual line(s) for ${r.period} (Σ ${r.total}) as import #${r.importId}.`);
    res.redirect(303, '/settlement');
  }

  @Post('run')
  async run(@CurrentUser() actor: Actor, @Body() body: { period: string; supplementary?: string; overrides?: string }, @Req() req: Request, @Res() res: Response) {
    const codes = parseOverrides(body.overrides);
    const found = await this.partners.findByCodes(Object.keys(codes));
    const unknown = Object.keys(codes).filter((c) => !found.has(c));
    if (unknown.length) throw new RuleViolation(`Unknown partner code(s) in overrides: ${unknown.join(', ')}`, 'overrides');
    const overrides = Object.fromEntries(Object.entries(codes).map(([c, reason]) => [found.get(c)!.id, reason]));
    const r = await this.runs.run(actor, body.period, { supplementary: body.supplementary === 'on' || body.supplementary === 'true', overrides });
    req.flash('success', `Batch #${r.batchId} ${r.created ? 'created' : 'recomputed'}: ${r.lineCount} partner line(s), total pay ${r.totalPay} (${r.seconds.toFixed(1)} s).`);
    res.redirect(303, `/settlement/batches/${r.batchId}`);
  }

  @Get('batches/:id')
  @Render('settlement/batch')
  async batch(@Param('id', ParseIntPipe) id: number, @Query('sort') sort = 'partner', @Query('dir') dir: 'asc' | 'desc' = 'asc') {
    const p = await this.batches.preview(id, { sort: PREVIEW_SORTS[sort] ? sort : 'partner', dir: dir === 'desc' ? 'desc' : 'asc' });
    const sorts = Object.keys(PREVIEW_SORTS).map((key) => ({ key, dir: sort === key && dir === 'asc' ? 'desc' : 'asc', active: sort === key }));
    return { title: `Batch #${id} · ${p.batch.period}`, ...p, sort, dir, sorts, isDraft: p.batch.status === 'draft', isApproved: p.batch.status === 'approved', isExported: p.batch.status === 'exported' };
  }

  @Post('batches/:id/approve')
  async approve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: { comment: string; version?: string }, @Req() req: Request, @Res() res: Response) {
    await this.batches.approve(actor, id, body.comment, body.version ? Number(body.version) : undefined);
    req.flash('success', `Batch #${id} approved.`);
    res.redirect(303, `/settlement/batches/${id}`);
  }

  @Post('batches/:id/cancel')
  async cancel(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body('reason') reason: string, @Req() req: Request, @Res() res: Response) {
    await this.batches.cancel(actor, id, reason);
    req.flash('success', `Batch #${id} cancelled; its accruals and adjustments are free for the next run.`);
    res.redirect(303, '/settlement');
  }

  @Post('batches/:id/export')
  async export(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const out = await this.batches.export(actor, id);
    res.attachment(out.fileName).type('text/csv').send(out.csv);
  }

  @Get('batches/:id/control.csv')
  async control(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const b = await this.batches.get(id);
    if (b.status !== 'exported' && b.status !== 'paid') throw new RuleViolation(`Batch #${id} is ${b.status}; export it first.`);
    const out = await this.batches.export(actor, id);
    res.attachment(`${out.fileName}.control.csv`).type('text/csv').send(out.control);
  }

  @Post('batches/:id/paid')
  async paid(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body('comment') comment: string, @Req() req: Request, @Res() res: Response) {
    await this.batches.markPaid(actor, id, comment);
    req.flash('success', `Batch #${id} marked as paid.`);
    res.redirect(303, `/settlement/batches/${id}`);
  }

  @Post('payments/import')
  @UseInterceptors(UPLOAD)
  async payments(@CurrentUser() actor: Actor, @UploadedFile() file: Upload, @Req() req: Request, @Res() res: Response) {
    const r = await this.batches.importPaymentConfirmation(actor, need(file).buffer);
    req.flash('success', `Payment confirmation of ${r.lines} line(s) matched; batch(es) ${r.batchIds.map((b) => `#${b}`).join(', ')} paid.`);
    res.redirect(303, '/settlement');
  }

  @Post('adjustments')
  async addAdjustment(@CurrentUser() actor: Actor, @Body() body: { partnerCode: string; amount: string; kind: string; reason: string; reference: string }, @Req() req: Request, @Res() res: Response) {
    const partner = await this.partners.findByCode(body.partnerCode);
    if (!partner) throw new RuleViolation(`unknown partner "${body.partnerCode}"`, 'partnerCode');
    await this.settlement.addAdjustment(actor, { partnerId: partner.id, amount: body.amount, kind: body.kind as never, reason: body.reason, reference: body.reference });
    req.flash('success', `Adjustment ${body.reference} recorded; it is applied in ${partner.code}'s next batch.`);
    res.redirect(303, '/settlement');
  }

  @Post('adjustments/import')
  @UseInterceptors(UPLOAD)
  async importAdjustments(@CurrentUser() actor: Actor, @UploadedFile() file: Upload, @Req() req: Request, @Res() res: Response) {
    const n = await this.settlement.importAdjustments(actor, need(file).buffer);
    req.flash('success', `Imported ${n} adjustment line(s).`);
    res.redirect(303, '/settlement');
  }

  @Post('inquiries/:id/answer')
  async answer(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: { decision: string; answer: string }, @Req() req: Request, @Res() res: Response) {
    await this.statements.answerInquiry(actor, id, body.decision === 'accept', body.answer);
    req.flash('success', `Inquiry ${id} ${body.decision === 'accept' ? 'accepted' : 'rejected'}.`);
    res.redirect(303, req.get('referer') ?? '/settlement');
  }

  @Get('statements/:partnerId/:period')
  @Render('settlement/statement')
  async statement(@CurrentUser() actor: Actor, @Param('partnerId', ParseIntPipe) partnerId: number, @Param('period') period: string) {
    const s = await this.statements.statement(actor, partnerId, period);
    return { title: `Statement ${s.partner.code} ${s.period}`, ...s, csvHref: `/settlement/statements/${partnerId}/${s.period}/csv` };
  }

  @Get('statements/:partnerId/:period/csv')
  async statementCsv(@CurrentUser() actor: Actor, @Param('partnerId', ParseIntPipe) partnerId: number, @Param('period') period: string, @Res() res: Response) {
    res.attachment(`statement-${partnerId}-${period}.csv`).type('text/csv').send(await this.statements.statementCsv(actor, partnerId, period));
  }
}
