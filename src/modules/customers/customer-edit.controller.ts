import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { Roles } from '../../core/auth/roles.decorator';
import { todayIso } from '../../core/period/period.util';
import { RegionsService } from '../regions/regions.service';
import { CustomerDirectoryService } from './customer-directory.service';
import { CustomerMasterDataService } from './customer-master-data.service';
import { CUSTOMER_CLASSES, CUSTOMER_STAGES } from './customer-rules.util';
import { CustomersService } from './customers.service';
import { ClassChangeDto, CustomerEditDto, NewCustomerDto } from './dto/customer.dto';

const holderOf = (dto: NewCustomerDto) => ({ partnerId: dto.partnerId ?? null, effectiveOn: dto.effectiveOn, overrideReason: dto.overrideReason });

/**
 * Customer master data (#17): create one customer, edit it, change its class with a reason — pages and API, for
 * channel managers and admins. Registered before CustomersController so that /customers/new is not taken for an id.
 */
@ApiTags('customers')
@Controller()
export class CustomerEditController {
  constructor(
    private readonly masterData: CustomerMasterDataService, private readonly customers: CustomersService,
    private readonly directory: CustomerDirectoryService, private readonly regions: RegionsService, private readonly scope: RegionScopeService,
  ) {}

  @Get('customers/new')
  @Roles('admin', 'channel_manager')
  @ApiExcludeEndpoint()
  @Render('customers/new')
  async newPage(@CurrentUser() actor: Actor) {
    const { partners } = await this.directory.holderOptions(await this.scope.forActor(actor));
    return { title: 'customers:edit.newTitle', regions: await this.regions.tree(), partners, classes: CUSTOMER_CLASSES, stages: CUSTOMER_STAGES, today: todayIso() };
  }

  @Post('customers')
  @Roles('admin', 'channel_manager')
  @ApiExcludeEndpoint()
  async createForm(@CurrentUser() actor: Actor, @Body() dto: NewCustomerDto, @Req() req: Request, @Res() res: Response) {
    const c = await this.masterData.create(actor, dto, holderOf(dto));
    req.flash('success', 'customers:edit.flash.created', { code: c.code });
    res.redirect(303, `/customers/${c.id}`);
  }

  @Get('customers/:id/edit')
  @Roles('admin', 'channel_manager')
  @ApiExcludeEndpoint()
  @Render('customers/edit')
  async editPage(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const customer = await this.customers.assertVisible(actor, id);
    return { title: req.t('customers:edit.editTitle', { code: customer.code, name: customer.name }), customer, regions: await this.regions.tree(), changes: await this.masterData.changes(id) };
  }

  @Post('customers/:id/edit')
  @Roles('admin', 'channel_manager')
  @ApiExcludeEndpoint()
  async editForm(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CustomerEditDto, @Req() req: Request, @Res() res: Response) {
    const { customer, changes } = await this.masterData.update(actor, id, dto, dto.reason);
    req.flash('success', changes.length ? 'customers:edit.flash.saved' : 'customers:edit.flash.unchanged', { code: customer.code, count: changes.length });
    res.redirect(303, `/customers/${id}`);
  }

  @Post('customers/:id/class')
  @Roles('admin', 'channel_manager')
  @ApiExcludeEndpoint()
  async classForm(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ClassChangeDto, @Req() req: Request, @Res() res: Response) {
    const { customer, movedItems } = await this.masterData.changeClass(actor, id, dto.customerClass, dto.classReason);
    req.flash('success', 'customers:edit.flash.classChanged', { code: customer.code, class: customer.customerClass, count: movedItems });
    res.redirect(303, `/customers/${id}`);
  }

  /** Creates one customer; with `partnerId` it is assigned through the assignment rules (status, tier quota, regions). */
  @Post('api/customers')
  @Roles('admin', 'channel_manager')
  create(@CurrentUser() actor: Actor, @Body() dto: NewCustomerDto) {
    return this.masterData.create(actor, dto, holderOf(dto));
  }

  /** Changes name, industry or region (omitted: unchanged); answers the changed fields, old → new. */
  @Patch('api/customers/:id')
  @Roles('admin', 'channel_manager')
  async update(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CustomerEditDto) {
    const { customer, changes } = await this.masterData.update(actor, id, dto, dto.reason);
    return { customer, changes };
  }

  /** Class A/B/C with a reason; answers how many open checklist items were re-planned. */
  @Post('api/customers/:id/class')
  @Roles('admin', 'channel_manager')
  changeClass(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ClassChangeDto) {
    return this.masterData.changeClass(actor, id, dto.customerClass, dto.classReason);
  }

  @Get('api/customers/:id/changes')
  @Roles('admin', 'channel_manager')
  async changes(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    await this.customers.assertVisible(actor, id);
    return this.masterData.changes(id);
  }
}
