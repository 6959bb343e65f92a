import { Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AllowWhileExiting, Roles } from '../../core/auth/roles.decorator';
import { contentDisposition } from '../../core/export/xlsx.util';
import { mayReadBankAccount } from '../../core/privacy/bank-account.util';
import { PartnersService } from '../partners/partners.service';
import { payoutXlsx } from './payout-xlsx';
import { SettlementBatchService } from './settlement-batch.service';
import { StatementPdfService } from './statement-pdf.service';

/** Statement PDFs with verification codes, their lookup, and the payout file as .xlsx (#16). */
@ApiExcludeController()
@Controller()
export class StatementPdfController {
  constructor(
    private readonly pdfs: StatementPdfService, private readonly partners: PartnersService, private readonly batches: SettlementBatchService,
  ) {}

  /** A partner's own statement as PDF (no partner id in the URL: the signed-in user's partner is the scope). */
  @Post('my/statements/:period/pdf')
  @Roles('partner')
  @AllowWhileExiting()
  async mine(@CurrentUser() actor: Actor, @Param('period') period: string, @Req() req: Request, @Res() res: Response) {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    send(res, await this.pdfs.issue(actor, partnerId, period, req.lang));
  }

  @Post('settlement/statements/:partnerId/:period/pdf')
  @Roles('admin', 'finance')
  async any(@CurrentUser() actor: Actor, @Param('partnerId', ParseIntPipe) partnerId: number, @Param('period') period: string, @Req() req: Request, @Res() res: Response) {
    send(res, await this.pdfs.issue(actor, partnerId, period, req.lang));
  }

  /** Finance types the code printed on a statement: partner, period, total, and whether the figures still match. */
  @Get('settlement/verify')
  @Roles('admin', 'finance')
  async verify(@CurrentUser() actor: Actor, @Query('code') code: unknown, @Res() res: Response) {
    const result = code === undefined || code === '' ? null : await this.pdfs.lookup(actor, code);
    res.render('settlement/verify', { title: 'statementPdf:verify.title', code: typeof code === 'string' ? code.slice(0, 40) : '', result });
  }

  /** The payout file as Excel, again after export like the CSV; full accounts only for those the masking rule allows. */
  @Get('settlement/batches/:id/payout.xlsx')
  @Roles('admin', 'finance')
  async payoutXlsx(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const out = await this.batches.exportedPayoutFiles(id);
    const file = await payoutXlsx(req.lang, { id, period: out.period }, out.rows, { lineCount: out.lineCount, sum: out.sum }, mayReadBankAccount(actor, null));
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', contentDisposition(out.fileName.replace(/\.csv$/, '.xlsx')));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(file);
  }
}

function send(res: Response, out: { pdf: Buffer; fileName: string; code: string }) {
  res.status(200).setHeader('X-Verification-Code', out.code);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', contentDisposition(out.fileName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.send(out.pdf);
}
