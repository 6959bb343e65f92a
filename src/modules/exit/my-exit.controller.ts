import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AllowWhileExiting, Roles } from '../../core/auth/roles.decorator';
import { PartnersService } from '../partners/partners.service';
import { ChecklistDto, VoluntaryExitDto } from './exit.dto';
import { ExitService } from './exit.service';
import { HandoverService } from './handover.service';

/** Partner side: request an exit, follow one's own handover, acknowledge customers received from an exiting partner. */
@ApiExcludeController()
@Controller('my/exit')
export class MyExitController {
  constructor(private readonly exits: ExitService, private readonly handovers: HandoverService, private readonly partners: PartnersService) {}

  @Get()
  @Roles('partner')
  @Render('exit/my-exit')
  async page(@CurrentUser() actor: Actor) {
    const partnerId = this.partners.assertIsPartnerUser(actor);
    const partner = await this.partners.getById(partnerId);
    const proposals = await this.exits.forPartner(partnerId);
    const inProgress = proposals.find((p) => p.status === 'approved');
    const handover = inProgress ? await this.handovers.byProposal(inProgress.id) : null;
    return {
      title: 'exit:my.title', partner, proposals: proposals.filter((p) => p.trigger === 'voluntary' || p.status !== 'proposed'),
      canRequest: ['active', 'suspended'].includes(partner.status) && !proposals.some((p) => p.trigger === 'voluntary' && p.status === 'proposed'),
      exiting: partner.status === 'exiting', items: handover ? await this.handovers.board(handover) : [],
      incoming: await this.handovers.incomingFor(partnerId),
    };
  }

  @Post('request')
  @Roles('partner')
  async request(@CurrentUser() actor: Actor, @Body() dto: VoluntaryExitDto, @Req() req: Request, @Res() res: Response) {
    await this.exits.requestVoluntary(actor, dto.note);
    req.flash('success', 'exit:flash.requestSent');
    res.redirect(303, '/my/exit');
  }

  /** The exiting partner confirms what it has transferred (allowed while read-only: this is the handover work). */
  @Post('items/:itemId/transferred')
  @Roles('partner')
  @AllowWhileExiting()
  async transferred(@CurrentUser() actor: Actor, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: ChecklistDto, @Req() req: Request, @Res() res: Response) {
    await this.handovers.updateChecklist(actor, itemId, {
      documentsTransferred: dto.documentsTransferred ?? false, openRecordsTransferred: dto.openRecordsTransferred ?? false, arrearsListTransferred: dto.arrearsListTransferred ?? false,
    });
    req.flash('success', 'exit:flash.checklistSaved');
    res.redirect(303, '/my/exit');
  }

  /** The receiving partner acknowledges the customer. */
  @Post('items/:itemId/acknowledge')
  @Roles('partner')
  @AllowWhileExiting()
  async acknowledge(@CurrentUser() actor: Actor, @Param('itemId', ParseIntPipe) itemId: number, @Req() req: Request, @Res() res: Response) {
    await this.handovers.updateChecklist(actor, itemId, { receiverAcknowledged: true });
    req.flash('success', 'exit:flash.acknowledged');
    res.redirect(303, '/my/exit');
  }
}
