import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AllowWhileExiting, Roles } from '../../core/auth/roles.decorator';
import { tDeep } from '../../core/i18n/i18n';
import { PartnersService } from '../partners/partners.service';
import { sendStatementXlsx } from './statement-xlsx';
import { StatementService } from './statement.service';

/** A partner's own statements (对账单). There is no partner id in these URLs: the signed-in user's partner is the scope. */
@ApiExcludeController()
@Controller('my/statements')
@Roles('partner')
export class MyStatementsController {
  constructor(private readonly statements: StatementService, private readonly partners: PartnersService) {}

  @Get()
  @Render('my/statements')
  async list(@CurrentUser() actor: Actor) {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    return { title: 'settlement:my.title', periods: await this.statements.periods(actor, partnerId) };
  }

  /** One statement (对账单); `?format=xlsx` gives it as an Excel file. */
  @Get(':period')
  async one(@CurrentUser() actor: Actor, @Param('period') period: string, @Query('format') format: unknown, @Req() req: Request, @Res() res: Response) {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    const s = await this.statements.statement(actor, partnerId, period);
    if (format === 'xlsx') { await sendStatementXlsx(req, res, s); return; }
    res.render('settlement/statement', {
      title: tDeep(req.lang, 'settlement:statement.title', { code: s.partner.code, period: s.period }), ...s, mine: true,
      csvHref: `/my/statements/${s.period}/csv`, xlsxHref: `/my/statements/${s.period}?format=xlsx`,
    });
  }

  @Get(':period/csv')
  async csv(@CurrentUser() actor: Actor, @Param('period') period: string, @Res() res: Response) {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    res.attachment(`statement-${period}.csv`).type('text/csv').send(await this.statements.statementCsv(actor, partnerId, period));
  }

  /** 对账确认 of one line of the statement (#16), within the window after approval. */
  @Post(':period/confirm')
  @AllowWhileExiting()
  async confirm(@CurrentUser() actor: Actor, @Param('period') period: string, @Body() body: { lineId: string }, @Req() req: Request, @Res() res: Response) {
    await this.statements.confirm(actor, Number(body.lineId));
    req.flash('success', 'settlement:flash.statementConfirmed', { period });
    res.redirect(303, `/my/statements/${encodeURIComponent(period)}`);
  }

  @Post(':period/inquiries')
  @AllowWhileExiting()
  async inquire(@CurrentUser() actor: Actor, @Param('period') period: string, @Body() body: { lineId: string; amount: string; reason: string }, @Req() req: Request, @Res() res: Response) {
    const q = await this.statements.raiseInquiry(actor, Number(body.lineId), body.amount, body.reason);
    req.flash('success', 'settlement:flash.inquirySent', { id: q.id });
    res.redirect(303, `/my/statements/${encodeURIComponent(period)}`);
  }
}
