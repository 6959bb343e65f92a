import { Body, Controller, Get, HttpException, HttpStatus, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Public, Roles } from '../../core/auth/roles.decorator';
import { RateLimitService } from '../../core/auth/rate-limit.service';
import { sendXlsx } from '../../core/export/xlsx.util';
import { todayIso } from '../../core/period/period.util';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { resolvePartnerFilter } from '../../core/web/partner-filter';
import { PartnersService } from '../partners/partners.service';
import { CourseDto, ExamDto, RevokeDto, StaffMemberDto } from './staff.dto';
import { parseStaffFilter } from './staff-filter';
import { STAFF_LIST, StaffFilter, StaffRow, StaffService } from './staff.service';
import { parseCertificateNumber, STAFF_ROLES } from './staff.util';

/** Public checks of certificate numbers per address and minute (a number cannot be found by trying many). */
const VERIFY_PER_MINUTE = 30;

/** Courses (before /staff/:id so "courses" is not read as an id). */
@ApiExcludeController()
@Controller('staff/courses')
export class StaffCoursesPagesController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @Roles('admin', 'channel_manager')
  @Render('staff/courses')
  async page() {
    return { title: 'staff:courses.title', courses: await this.staff.courses() };
  }

  @Post()
  @Roles('admin', 'channel_manager')
  async create(@CurrentUser() actor: Actor, @Body() dto: CourseDto, @Req() req: Request, @Res() res: Response) {
    const c = await this.staff.createCourse(actor, dto);
    req.flash('success', 'staff:flash.courseAdded', { code: c.code });
    res.redirect(303, '/staff/courses');
  }
}

@ApiExcludeController()
@Controller()
export class StaffPagesController {
  constructor(private readonly staff: StaffService, private readonly partners: PartnersService, private readonly rate: RateLimitService) {}

  @Get('staff')
  @Roles('admin', 'channel_manager')
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filter = parseStaffFilter(plainQuery(query));
    const list = parseListQuery(query, STAFF_LIST);
    // the partner is typed as its code (see resolvePartnerFilter), not picked from every partner
    const { typed, partner } = await resolvePartnerFilter(query, filter, { byCode: (c) => this.partners.findByCode(c), byId: (id) => this.partners.findById(id) });
    if (query.format === 'xlsx') return this.sendList(req, res, (await this.staff.page(actor, filter, { ...list, offset: 0, size: 100_000 })).rows, filter, true);
    const { rows, total } = await this.staff.page(actor, filter, list);
    const partnerText = partner?.code ?? typed;
    res.render('staff/list', { title: 'staff:list.title', rows, filter, list, partnerText, roles: STAFF_ROLES, pager: buildPager(total, list, '/staff', query) });
  }

  @Get('staff/:id')
  @Roles('admin', 'channel_manager')
  @Render('staff/detail')
  async detail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const member = await this.staff.get(actor, id);
    const [exams, certificates, courses] = await Promise.all([this.staff.exams(id), this.staff.certificatesOf(id), this.staff.courses(true)]);
    return { title: req.t('staff:detail.title', { name: member.name }), member, exams, certificates, courses, today: todayIso() };
  }

  @Post('staff/:id/exams')
  @Roles('admin', 'channel_manager')
  async exam(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ExamDto, @Req() req: Request, @Res() res: Response) {
    const e = await this.staff.recordExam(actor, id, dto);
    req.flash('success', e.passed ? 'staff:flash.examPassed' : 'staff:flash.examFailed', { score: e.score, course: e.courseTitle });
    res.redirect(303, `/staff/${id}`);
  }

  @Post('staff/exams/:examId/certificate')
  @Roles('admin', 'channel_manager')
  async issue(@CurrentUser() actor: Actor, @Param('examId', ParseIntPipe) examId: number, @Req() req: Request, @Res() res: Response) {
    const c = await this.staff.issue(actor, examId);
    req.flash('success', 'staff:flash.issued', { number: c.number, date: c.validUntil });
    res.redirect(303, `/staff/${c.staffId}`);
  }

  @Post('staff/certificates/:id/revoke')
  @Roles('admin', 'channel_manager')
  async revoke(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: RevokeDto, @Req() req: Request, @Res() res: Response) {
    const c = await this.staff.revoke(actor, id, dto.reason);
    req.flash('success', 'staff:flash.revoked', { number: c.number });
    res.redirect(303, `/staff/${c.staffId}`);
  }

  // ---- the partner's own staff ------------------------------------------------------------------------------

  @Get('my/staff')
  @Roles('partner')
  async mine(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { role, q, certified } = parseStaffFilter(plainQuery(query));
    const filter: StaffFilter = { role, q, certified };
    const list = parseListQuery(query, { ...STAFF_LIST, defaultSort: 'name' });
    if (query.format === 'xlsx') return this.sendList(req, res, (await this.staff.page(actor, filter, { ...list, offset: 0, size: 100_000 })).rows, filter, false);
    const { rows, total } = await this.staff.page(actor, filter, list);
    res.render('staff/mine', { title: 'staff:mine.title', rows, filter, list, roles: STAFF_ROLES, pager: buildPager(total, list, '/my/staff', query) });
  }

  @Get('my/staff/new')
  @Roles('partner')
  @Render('staff/form')
  newForm() {
    return { title: 'staff:form.newTitle', roles: STAFF_ROLES, action: '/my/staff', member: null };
  }

  @Post('my/staff')
  @Roles('partner')
  async create(@CurrentUser() actor: Actor, @Body() dto: StaffMemberDto, @Req() req: Request, @Res() res: Response) {
    const s = await this.staff.create(actor, dto);
    req.flash('success', 'staff:flash.added', { name: s.name });
    res.redirect(303, `/my/staff/${s.id}`);
  }

  @Get('my/staff/:id')
  @Roles('partner')
  @Render('staff/my-detail')
  async myDetail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request) {
    const member = await this.staff.get(actor, id);
    const [exams, certificates] = await Promise.all([this.staff.exams(id), this.staff.certificatesOf(id)]);
    return { title: req.t('staff:detail.title', { name: member.name }), member, exams, certificates, roles: STAFF_ROLES, action: `/my/staff/${id}` };
  }

  @Post('my/staff/:id')
  @Roles('partner')
  async update(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: StaffMemberDto, @Req() req: Request, @Res() res: Response) {
    const s = await this.staff.update(actor, id, { ...dto, active: dto.active ?? false });
    req.flash('success', 'staff:flash.saved', { name: s.name });
    res.redirect(303, `/my/staff/${id}`);
  }

  // ---- public verification (认证工作标识) ---------------------------------------------------------------------

  /** The form where a customer types the number on an engineer's card. */
  @Get('verify')
  @Public()
  verifyForm(@Query('number') number: string | undefined, @Res() res: Response) {
    const parsed = typeof number === 'string' ? parseCertificateNumber(number) : null;
    if (parsed) return res.redirect(303, `/verify/${encodeURIComponent(parsed)}`);
    res.render('staff/verify', { title: 'staff:verify.title', asked: typeof number === 'string' && number !== '', number: typeof number === 'string' ? number.slice(0, 40) : '' });
  }

  /** Name, partner and validity of a certificate number, nothing else; limited per address. */
  @Get('verify/:number')
  @Public()
  async verify(@Param('number') number: string, @Req() req: Request, @Res() res: Response) {
    const d = await this.rate.hit(`verify:${req.ip}`, VERIFY_PER_MINUTE, 60);
    if (!d.allowed) throw new HttpException({ message: 'auth:errors.tooManyRequests', params: { minutes: Math.ceil(d.retryAfterSeconds / 60) } }, HttpStatus.TOO_MANY_REQUESTS);
    const cert = await this.staff.verify(number);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    res.status(cert ? 200 : 404).render('staff/verify', { title: 'staff:verify.title', cert, asked: true, number: String(number).slice(0, 40) });
  }

  private async sendList(req: Request, res: Response, rows: StaffRow[], filter: StaffFilter, staff: boolean): Promise<void> {
    const filters: [string, string][] = [];
    if (filter.role) filters.push([req.t('staff:filter.role'), req.t(`staff:role.${filter.role}`)]);
    if (filter.q) filters.push([req.t('staff:filter.q'), filter.q]);
    if (filter.certified) filters.push([req.t('staff:filter.certified'), req.t('staff:filter.certifiedOnly')]);
    const title = req.t(staff ? 'staff:list.title' : 'staff:mine.title');
    await sendXlsx(res, title, {
      title, filters, exportedAtLabel: req.t('common:list.exportedAt'),
      columns: [
        ...(staff ? [{ header: req.t('staff:col.partner'), key: 'partner', width: 30 }] : []),
        { header: req.t('staff:col.name'), key: 'name', width: 14 },
        { header: req.t('staff:col.phone'), key: 'phone', width: 16 },
        { header: req.t('staff:col.role'), key: 'roleText', width: 14 },
        { header: req.t('staff:col.active'), key: 'activeText', width: 8 },
        { header: req.t('staff:col.certificates'), key: 'validCertificates', kind: 'number', width: 10 },
      ],
      rows: rows.map((r) => ({ ...r, partner: `${r.partnerCode} ${r.partnerName}`, roleText: req.t(`staff:role.${r.role}`), activeText: req.t(r.active ? 'staff:active.yes' : 'staff:active.no') })),
    });
  }
}
