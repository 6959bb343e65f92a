import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { RuleViolation } from '../../core/web/errors';
import { SubmitRecordDto } from './dto/duties.dto';
import { parseItemQuery } from './duty-views.service';
import { RecordsImportService } from './records-import.service';
import { RecordsService } from './records.service';
import { uploadInterceptor } from '../../core/web/upload';

@ApiTags('records')
@Controller('api/records')
export class RecordsApiController {
  constructor(private readonly records: RecordsService, private readonly imports: RecordsImportService, private readonly regionScope: RegionScopeService) {}

  /** Partners, and (#17) channel managers for the customers they hold themselves. */
  @Post()
  @Roles('partner', 'channel_manager')
  async submit(@CurrentUser() actor: Actor, @Body() dto: SubmitRecordDto) {
    const { record, ticked } = await this.records.submit(actor, dto);
    return { id: record.id, period: record.period, ticked, complaintOnTime: record.complaintOnTime };
  }

  /** Partner users: their own records. Staff: give partnerId (a channel manager with regions: a partner there, #17). */
  @Get()
  @AnyRole()
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>) {
    const q = { period: parseItemQuery(query).period, partnerId: parseItemQuery(query).filters.partnerId };
    const partnerId = actor.role === 'partner' ? actor.partnerId! : q.partnerId;
    if (!partnerId) throw new RuleViolation('duties:errors.givePartnerId', 'partnerId');
    if (actor.role !== 'partner') await this.regionScope.assertPartner(actor, partnerId);
    return this.records.listForPartner(partnerId, { period: q.period });
  }

  /** One record: a partner's own; for a channel manager with regions, one of a partner (or a customer) there. */
  @Get(':id')
  @AnyRole()
  async get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const r = await this.records.getForActor(actor, id);
    if (actor.role === 'partner') return r;
    const inScope = r.partner_id !== null
      ? await this.regionScope.partnerInScope(actor, r.partner_id)
      : await this.regionScope.assertCustomer(actor, r.customer_id).then(() => true, () => false);
    if (!inScope) throw new NotFoundException('duties:errors.recordNotFound');
    return r;
  }

  @Post('import')
  @Roles('partner')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(uploadInterceptor(20 * 1024 * 1024))
  async import(@CurrentUser() actor: Actor, @UploadedFile() file: { buffer: Buffer } | undefined) {
    if (!file) throw new RuleViolation('customers:errors.sendFile', 'file');
    const { records, ticked } = await this.imports.importCsv(actor, file.buffer);
    return { records, ticked };
  }
}
