import { Body, Controller, Get, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { plainQuery } from '../../core/web/list-query';
import { RecordViolationDto, RespondViolationDto, ViolationKindDto, ViolationSettingDto, VoidViolationDto } from './violations.dto';
import { parseViolationFilter, ViolationsService } from './violations.service';

@ApiTags('violations')
@Controller('api/violations')
export class ViolationsApiController {
  constructor(private readonly violations: ViolationsService) {}

  @Get('kinds')
  @AnyRole()
  kinds() {
    return this.violations.kinds();
  }

  @Post('kinds')
  @Roles('admin')
  createKind(@CurrentUser() actor: Actor, @Body() dto: ViolationKindDto) {
    return this.violations.createKind(actor, dto);
  }

  @Put('kinds/:id')
  @Roles('admin')
  updateKind(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ViolationKindDto) {
    return this.violations.updateKind(actor, id, dto);
  }

  @Get('settings')
  @Roles('admin', 'channel_manager')
  async settings() {
    return { responseDays: await this.violations.responseDays() };
  }

  @Put('settings')
  @Roles('admin')
  async setSettings(@CurrentUser() actor: Actor, @Body() dto: ViolationSettingDto) {
    await this.violations.setResponseDays(actor, dto.responseDays);
    return { responseDays: dto.responseDays };
  }

  /** Staff see the register (filtered); a partner user sees only their own partner's violations. */
  @Get()
  @Roles('admin', 'channel_manager', 'finance', 'partner')
  list(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>) {
    // malformed or unknown filters are ignored, never a 400
    return this.violations.list(actor, parseViolationFilter(plainQuery(q)));
  }

  @Get(':id')
  @Roles('admin', 'channel_manager', 'finance', 'partner')
  get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.violations.getForActor(actor, id);
  }

  @Post()
  @Roles('admin', 'channel_manager')
  record(@CurrentUser() actor: Actor, @Body() dto: RecordViolationDto) {
    return this.violations.record(actor, dto);
  }

  @Post(':id/void')
  @Roles('admin', 'channel_manager')
  void(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VoidViolationDto) {
    return this.violations.voidViolation(actor, id, dto.reason);
  }

  @Post(':id/respond')
  @Roles('partner')
  respond(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: RespondViolationDto) {
    return this.violations.respond(actor, id, dto.response);
  }
}
