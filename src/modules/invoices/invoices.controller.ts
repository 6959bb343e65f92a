import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AllowWhileExiting, Roles } from '../../core/auth/roles.decorator';
import { FormDto } from '../../core/web/form.dto';
import { uploadInterceptor } from '../../core/web/upload';
import { MAX_UPLOAD_MB } from '../documents/document-kinds.util';
import { InvoicesService } from './invoices.service';

export class InvoiceUploadForm extends FormDto {
  @IsOptional() @IsString() @MaxLength(60) invoiceNo?: string;
  @IsOptional() @IsString() @MaxLength(40) amount?: string;
  @IsOptional() @IsString() @MaxLength(40) invoiceDate?: string;
  @IsOptional() @IsString() @MaxLength(20) taxRate?: string;
}
export class InvoiceCheckForm extends FormDto {
  @IsString() @MaxLength(10) decision: string;
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}
export class WaiverForm extends FormDto {
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

const UPLOAD = uploadInterceptor(MAX_UPLOAD_MB * 1024 * 1024);

/** Invoices (发票, #16): the partner uploads on its statement; finance checks on /invoices (also per batch). */
@ApiExcludeController()
@Controller()
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  /** Waiting for a check (default) or every line of one batch (`?batch=`), with the check and pay-without forms. */
  @Get('invoices')
  @Roles('admin', 'finance')
  async index(@Query('batch') batch: string | undefined, @Res() res: Response) {
    const batchId = /^\d{1,9}$/.test(batch ?? '') ? Number(batch) : null;
    res.render('invoices/index', { title: 'invoices:title', batchId, lines: await this.invoices.lines(batchId) });
  }

  @Post('invoices/:id/check')
  @Roles('admin', 'finance')
  async check(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: InvoiceCheckForm, @Req() req: Request, @Res() res: Response) {
    const inv = await this.invoices.check(actor, id, body.decision, body.reason);
    req.flash('success', inv.status === 'accepted' ? 'invoices:flash.accepted' : 'invoices:flash.rejected', { id });
    res.redirect(303, req.get('referer') ?? '/invoices');
  }

  @Post('invoices/lines/:lineId/pay-without-invoice')
  @Roles('admin', 'finance')
  async waive(@CurrentUser() actor: Actor, @Param('lineId', ParseIntPipe) lineId: number, @Body() body: WaiverForm, @Req() req: Request, @Res() res: Response) {
    await this.invoices.payWithoutInvoice(actor, lineId, body.reason);
    req.flash('success', 'invoices:flash.waived');
    res.redirect(303, req.get('referer') ?? '/invoices');
  }

  /** The partner's upload for its own line (another partner's line: 404). */
  @Post('my/invoices/:lineId')
  @Roles('partner')
  @AllowWhileExiting()
  @UseInterceptors(UPLOAD)
  async upload(@CurrentUser() actor: Actor, @Param('lineId', ParseIntPipe) lineId: number, @Body() body: InvoiceUploadForm, @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined, @Req() req: Request, @Res() res: Response) {
    const r = await this.invoices.submit(actor, lineId, body, file);
    req.flash('success', 'invoices:flash.submitted');
    res.redirect(303, `/my/statements/${r.period}`);
  }
}
