import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { ScoreSheetService } from './score-sheet.service';

/** Partner pages: my scores by quarter with the trend, my sheet, dispute or accept it. */
@ApiExcludeController()
@Controller('my/scores')
export class MyScoresController {
  constructor(private readonly sheets: ScoreSheetService) {}

  @Get()
  @Roles('partner')
  @Render('my/scores')
  async list(@CurrentUser() actor: Actor) {
    return { title: 'scoring:my.title', quarters: await this.sheets.partnerHistory(actor) };
  }

  @Get(':id')
  @Roles('partner')
  @Render('my/scores-sheet')
  async sheet(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const v = await this.sheets.view(actor, id, req.lang);
    return { title: req.t('scoring:my.sheetTitle', { period: v.sheet.period }), ...v };
  }

  @Post(':id/dispute')
  @Roles('partner')
  async dispute(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body('reason') reason: string, @Req() req: Request, @Res() res: Response) {
    await this.sheets.dispute(actor, id, reason);
    req.flash('success', 'scoring:flash.disputed');
    res.redirect(303, `/my/scores/${id}`);
  }

  @Post(':id/accept')
  @Roles('partner')
  async accept(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    await this.sheets.markUndisputable(actor, id, '');
    req.flash('success', 'scoring:flash.accepted');
    res.redirect(303, `/my/scores/${id}`);
  }
}
