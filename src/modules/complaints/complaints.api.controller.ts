import { Body, Controller, Get, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { periodOfDate, todayIso } from '../../core/period/period.util';
import { parseListQuery, plainQuery } from '../../core/web/list-query';
import { COMPLAINTS_LIST, parseComplaintFilter } from './complaint-list';
import { ComplaintTimelinessService } from './complaint-timeliness.service';
import { ComplaintSettingsDto, EmptyFormDto, EscalateComplaintDto, OpenComplaintDto, ResolveComplaintDto, VisitComplaintDto } from './complaints.dto';
import { ComplaintsService } from './complaints.service';

/** Complaint and fault work orders as JSON: a partner user sees and acts on its own partner's orders only (404 otherwise). */
@ApiTags('complaints')
@Controller('api/complaints')
export class ComplaintsApiController {
  constructor(private readonly complaints: ComplaintsService, private readonly timeliness: ComplaintTimelinessService) {}

  /** Filtered, sorted, paged (`page`, `sort`, `dir`, and the list filters). */
  @Get()
  @Roles('admin', 'channel_manager', 'finance', 'partner')
  async list(@CurrentUser() actor: Actor, @Query() q: Record<string, unknown>) {
    const list = parseListQuery(q, COMPLAINTS_LIST);
    const { rows, total } = await this.complaints.page(actor, parseComplaintFilter(plainQuery(q)), list);
    return { total, page: list.page, size: list.size, rows };
  }

  @Get('timeliness')
  @Roles('admin', 'channel_manager', 'finance')
  async timelinessReport(@Query('period') period?: string) {
    const s = await this.complaints.settings();
    return this.timeliness.report(period || periodOfDate(todayIso()).code, Number(s.timelinessTarget));
  }

  @Get('settings')
  @Roles('admin', 'channel_manager')
  settings() {
    return this.complaints.settings();
  }

  @Put('settings')
  @Roles('admin')
  async saveSettings(@CurrentUser() actor: Actor, @Body() dto: ComplaintSettingsDto) {
    await this.complaints.saveSettings(actor, dto);
    return this.complaints.settings();
  }

  @Get(':id')
  @Roles('admin', 'channel_manager', 'finance', 'partner')
  async get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const o = await this.complaints.getForActor(actor, id);
    return { ...o, history: await this.complaints.history(id) };
  }

  @Post()
  @Roles('admin', 'channel_manager', 'partner')
  open(@CurrentUser() actor: Actor, @Body() dto: OpenComplaintDto) {
    return this.complaints.open(actor, dto);
  }

  @Post(':id/start')
  @Roles('admin', 'channel_manager', 'partner')
  start(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() _dto: EmptyFormDto) {
    return this.complaints.start(actor, id);
  }

  @Post(':id/resolve')
  @Roles('admin', 'channel_manager', 'partner')
  resolve(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ResolveComplaintDto) {
    return this.complaints.resolve(actor, id, dto);
  }

  @Post(':id/visit')
  @Roles('admin', 'channel_manager', 'partner')
  visit(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: VisitComplaintDto) {
    return this.complaints.visit(actor, id, dto);
  }

  @Post(':id/escalate')
  @Roles('admin', 'channel_manager', 'partner')
  escalate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: EscalateComplaintDto) {
    return this.complaints.escalate(actor, id, dto.reason);
  }

  @Post(':id/close')
  @Roles('admin', 'channel_manager')
  close(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() _dto: EmptyFormDto) {
    return this.complaints.close(actor, id);
  }
}
