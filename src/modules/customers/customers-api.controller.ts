import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { RuleViolation } from '../../core/web/errors';
import { parseListQuery } from '../../core/web/list-query';
import { CUSTOMER_LIST, CustomerDirectoryService, parseCustomerFilter } from './customer-directory.service';
import { CustomerImportService } from './customer-import.service';
import { CustomersService } from './customers.service';
import { ChangeStageDto, ReassignDto } from './dto/customer.dto';
import { uploadInterceptor } from '../../core/web/upload';

@ApiTags('customers')
@Controller('api/customers')
export class CustomersApiController {
  constructor(private readonly customers: CustomersService, private readonly directory: CustomerDirectoryService, private readonly importer: CustomerImportService, private readonly scope: RegionScopeService) {}

  /**
   * Staff: filtered list (region, customerClass, stage, partnerId, q; sort, dir, page — 200 a page). Unknown or
   * malformed parameters are ignored. Partner users: the customers their partner holds today.
   */
  @Get()
  @AnyRole()
  @ApiQuery({ name: 'q', required: false }) @ApiQuery({ name: 'region', required: false }) @ApiQuery({ name: 'customerClass', required: false, enum: ['A', 'B', 'C'] })
  @ApiQuery({ name: 'stage', required: false }) @ApiQuery({ name: 'partnerId', required: false }) @ApiQuery({ name: 'page', required: false })
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>) {
    if (actor.role === 'partner') return { rows: await this.customers.listCurrentByPartner(actor.partnerId!) };
    return this.directory.list({ ...parseCustomerFilter(query), scope: await this.scope.forActor(actor) }, parseListQuery(query, { ...CUSTOMER_LIST, pageSize: 200 }));
  }

  @Get(':id')
  @AnyRole()
  async get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const customer = await this.customers.assertVisible(actor, id);
    if (actor.role === 'partner') return { customer };
    return { customer, assignments: await this.customers.assignmentHistory(id), stages: await this.customers.stageHistory(id) };
  }

  @Post(':id/assignments')
  @Roles('admin', 'channel_manager')
  async reassign(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ReassignDto) {
    await this.scope.assertCustomer(actor, id);
    return this.customers.reassign(actor, id, { partnerId: dto.partnerId, managerUserId: dto.managerUserId }, dto.effectiveOn, dto.reason, undefined, { overrideReason: dto.overrideReason });
  }

  @Post(':id/stage')
  @Roles('admin', 'channel_manager')
  async changeStage(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ChangeStageDto) {
    await this.scope.assertCustomer(actor, id);
    return this.customers.changeStage(actor, id, dto.stage, dto.effectiveOn, dto.reason);
  }

  @Post('import')
  @Roles('admin', 'channel_manager')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(uploadInterceptor(50 * 1024 * 1024))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: { buffer: Buffer; originalname?: string } | undefined) {
    if (!file) throw new RuleViolation('customers:errors.sendFile', 'file');
    return this.importer.importCsv(actor, file.buffer);
  }
}
