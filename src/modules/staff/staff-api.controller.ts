import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { parseListQuery, plainQuery } from '../../core/web/list-query';
import { CourseDto, ExamDto, RevokeDto, StaffMemberDto } from './staff.dto';
import { parseStaffFilter } from './staff-filter';
import { STAFF_LIST, StaffService } from './staff.service';

/** Courses (declared before /api/staff/:id so "courses" is not read as an id). */
@ApiTags('staff')
@Controller('api/staff/courses')
export class StaffCoursesApiController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @Roles('admin', 'channel_manager', 'partner')
  list() {
    return this.staff.courses();
  }

  @Post()
  @Roles('admin', 'channel_manager')
  create(@CurrentUser() actor: Actor, @Body() dto: CourseDto) {
    return this.staff.createCourse(actor, dto);
  }
}

/** Partner staff: partners manage their own, staff see all and record exams and certificates. */
@ApiTags('staff')
@Controller('api/staff')
export class StaffApiController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @Roles('admin', 'channel_manager', 'partner')
  @ApiQuery({ name: 'partnerId', required: false }) @ApiQuery({ name: 'role', required: false }) @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'certified', required: false, enum: ['1'] }) @ApiQuery({ name: 'sort', required: false }) @ApiQuery({ name: 'page', required: false })
  list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>) {
    return this.staff.page(actor, parseStaffFilter(plainQuery(query)), parseListQuery(query, STAFF_LIST));
  }

  @Get(':id')
  @Roles('admin', 'channel_manager', 'partner')
  async get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const member = await this.staff.get(actor, id);
    return { member, exams: await this.staff.exams(id), certificates: await this.staff.certificatesOf(id) };
  }

  @Post()
  @Roles('partner')
  create(@CurrentUser() actor: Actor, @Body() dto: StaffMemberDto) {
    return this.staff.create(actor, dto);
  }

  @Put(':id')
  @Roles('partner')
  update(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: StaffMemberDto) {
    return this.staff.update(actor, id, dto);
  }

  @Post(':id/exams')
  @Roles('admin', 'channel_manager')
  exam(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ExamDto) {
    return this.staff.recordExam(actor, id, dto);
  }

  @Post('exams/:examId/certificate')
  @Roles('admin', 'channel_manager')
  issue(@CurrentUser() actor: Actor, @Param('examId', ParseIntPipe) examId: number) {
    return this.staff.issue(actor, examId);
  }

  @Post('certificates/:id/revoke')
  @HttpCode(200)
  @Roles('admin', 'channel_manager')
  revoke(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: RevokeDto) {
    return this.staff.revoke(actor, id, dto.reason);
  }
}
