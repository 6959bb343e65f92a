import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { Roles } from '../../core/auth/roles.decorator';
import { RegionsService } from '../regions/regions.service';
import { PARTNER_EDITABLE_FIELDS, PartnerEdit } from './master-data.util';
import { PartnerMasterDataService } from './partner-master-data.service';
import { COOPERATION_TYPES } from './partner.entity';
import { PartnerEditDto } from './partners.dto';
import { PartnersService } from './partners.service';

function editOf(dto: PartnerEditDto): PartnerEdit {
  return Object.fromEntries(PARTNER_EDITABLE_FIELDS.filter((f) => dto[f] !== undefined).map((f) => [f, dto[f]])) as PartnerEdit;
}

/** Partner master data (#17): the edit page and its API, for channel managers and admins; the change history. */
@ApiTags('partners')
@Controller()
export class PartnerEditController {
  constructor(private readonly masterData: PartnerMasterDataService, private readonly partners: PartnersService, private readonly regions: RegionsService, private readonly scope: RegionScopeService) {}

  @Get('partners/:id/edit')
  @Roles('admin', 'channel_manager')
  @ApiExcludeEndpoint()
  @Render('partners/edit')
  async page(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    await this.scope.assertPartner(actor, id);
    const partner = await this.partners.getById(id);
    return {
      title: req.t('partners:edit.title', { code: partner.code, name: partner.name }), partner, types: COOPERATION_TYPES, regions: await this.regions.tree(),
      history: await this.masterData.history(id),
    };
  }

  @Post('partners/:id/edit')
  @Roles('admin', 'channel_manager')
  @ApiExcludeEndpoint()
  async submit(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PartnerEditDto, @Req() req: Request, @Res() res: Response) {
    const { partner, changes } = await this.masterData.update(actor, id, editOf(dto), dto.reason);
    req.flash('success', changes.length ? 'partners:edit.flash.saved' : 'partners:edit.flash.unchanged', { code: partner.code, count: changes.length });
    res.redirect(303, `/partners/${id}`);
  }

  /** Changes the listed fields (omitted: unchanged; empty date: cleared). Answers the changed fields, old → new. */
  @Patch('api/partners/:id')
  @Roles('admin', 'channel_manager')
  async patch(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PartnerEditDto) {
    const { partner, changes } = await this.masterData.update(actor, id, editOf(dto), dto.reason);
    return { id: partner.id, version: partner.version, changes };
  }

  /** Master-data change history, newest first (staff; partners read their page's history through /partners/:id). */
  @Get('api/partners/:id/changes')
  @Roles('admin', 'channel_manager', 'finance')
  async changes(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    await this.scope.assertPartner(actor, id);
    await this.partners.getById(id);
    return this.masterData.history(id);
  }
}
