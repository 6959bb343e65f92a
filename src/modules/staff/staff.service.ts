import { RegionScopeService } from '../../core/auth/region-scope.service';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { isValidIsoDate, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { ListQuery, ListSpec } from '../../core/web/list-query';
import { certificateNumber, certificateStatus, CertificateStatus, checkRevoke, checkStaffInput, examPassed, parseCertificateNumber, PublicCertificate, publicCertificate, validUntil } from './staff.util';

export interface StaffRow { id: number; partnerId: number; partnerCode: string; partnerName: string; name: string; phone: string; role: string; active: boolean; createdAt: Date; validCertificates: number }
export interface ExamRow { id: number; courseId: number; courseCode: string; courseTitle: string; takenOn: string; score: string; passed: boolean; certificateId: number | null }
export interface CertificateRow { id: number; number: string; staffId: number; courseTitle: string; issuedOn: string; validUntil: string; revokedAt: Date | null; revokeReason: string | null; status: CertificateStatus }
export interface CourseRow { id: number; code: string; title: string; passScore: string; validityMonths: number; active: boolean }
export interface StaffFilter { partnerId?: number; role?: string; q?: string; certified?: boolean }

export const STAFF_LIST: ListSpec = {
  // columns of the row query (wrapped as s), so the certificate count sorts like any other column
  sortable: { name: 's.name', partner: 's."partnerCode"', role: 's.role', createdAt: 's."createdAt"', certificates: 's."validCertificates"' },
  defaultSort: 'partner', defaultDir: 'asc', pageSize: 50, tieBreaker: 's.id',
};

const STAFF_SELECT = `
  SELECT s.id, s.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName", s.name, s.phone, s.role, s.active, s.created_at AS "createdAt",
         (SELECT count(*)::int FROM staff_certificate c WHERE c.staff_id = s.id AND c.revoked_at IS NULL AND c.valid_until >= $1::date) AS "validCertificates"
    FROM staff_member s JOIN partner p ON p.id = s.partner_id`;

const dateText = (v: unknown): string => (v instanceof Date ? todayIso(v) : String(v ?? '').slice(0, 10));

/**
 * Partner staff and their certification (seed 003: 服务技能及技巧培训, 集团客户服务认证工作标识): a partner keeps its
 * own staff list; channel managers record exam results, issue and revoke certificates; anyone checks a number publicly.
 */
@Injectable()
export class StaffService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly scope: RegionScopeService) {}

  async page(actor: Actor, filter: StaffFilter, list: ListQuery): Promise<{ rows: StaffRow[]; total: number }> {
    const params: unknown[] = [todayIso()];
    // $1 (today) is typed here, so the count query (which may not use it otherwise) can be prepared
    const where: string[] = ['$1::date IS NOT NULL'];
    const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace(/\?/g, `$${params.length}`)); };
    if (actor.role === 'partner') add('s.partner_id = ?', actor.partnerId ?? -1);
    else if (filter.partnerId) add('s.partner_id = ?', filter.partnerId);
    // a channel manager scoped to regions (#17): staff of their regions' partners only
    const scope = await this.scope.forActor(actor);
    if (scope) add('p.region = ANY(?::text[])', scope);
    if (filter.role) add('s.role = ?', filter.role);
    if (filter.q) add(`(s.name ILIKE ? OR p.name ILIKE ?)`, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (filter.certified) where.push(`EXISTS (SELECT 1 FROM staff_certificate c WHERE c.staff_id = s.id AND c.revoked_at IS NULL AND c.valid_until >= $1::date)`);
    const w = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM staff_member s JOIN partner p ON p.id = s.partner_id ${w}`, params);
    const rows = await this.db.query(`SELECT * FROM (${STAFF_SELECT} ${w}) s ORDER BY ${list.orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, list.size, list.offset]);
    return { rows, total };
  }

  /** One staff member; another partner's answers 404, and so does another region's for a scoped manager (#17). */
  async get(actor: Actor, id: number, manager?: EntityManager): Promise<StaffRow> {
    const [row] = await (manager ?? this.db.manager).query(`${STAFF_SELECT} WHERE s.id = $2`, [todayIso(), id]);
    if (!row || (actor.role === 'partner' && row.partnerId !== actor.partnerId)) throw new NotFoundException('staff:errors.notFound');
    if (!(await this.scope.partnerInScope(actor, row.partnerId, manager))) throw new NotFoundException('staff:errors.notFound');
    return row;
  }

  /** A partner user registers a member of its own staff. */
  async create(actor: Actor, input: { name: string; phone: string; role: string }): Promise<StaffRow> {
    if (actor.role !== 'partner' || !actor.partnerId) throw new ForbiddenException('staff:errors.partnersOnly');
    const v = checkStaffInput(input);
    const id = await this.db.transaction(async (m) => {
      const [row] = await m.query(`INSERT INTO staff_member (partner_id, name, phone, role) VALUES ($1, $2, $3, $4) RETURNING id`, [actor.partnerId, v.name, v.phone, v.role]);
      await this.audit.record(actor, { action: 'staff.create', entityType: 'staff_member', entityId: row.id, partnerId: actor.partnerId, after: v }, m);
      return row.id as number;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: number, input: { name: string; phone: string; role: string; active?: boolean }): Promise<StaffRow> {
    const v = checkStaffInput(input);
    await this.db.transaction(async (m) => {
      const before = await this.get(actor, id, m);
      if (actor.role !== 'partner') throw new ForbiddenException('staff:errors.partnersOnly');
      const active = input.active ?? before.active;
      await m.query(`UPDATE staff_member SET name = $2, phone = $3, role = $4, active = $5, updated_at = now() WHERE id = $1`, [id, v.name, v.phone, v.role, active]);
      await this.audit.record(actor, { action: 'staff.update', entityType: 'staff_member', entityId: id, partnerId: before.partnerId,
        before: { name: before.name, phone: before.phone, role: before.role, active: before.active }, after: { ...v, active } }, m);
    });
    return this.get(actor, id);
  }

  // ---- courses and exams ------------------------------------------------------------------------------------

  async courses(activeOnly = false): Promise<CourseRow[]> {
    return this.db.query(`SELECT id, code, title, pass_score::text AS "passScore", validity_months AS "validityMonths", active FROM staff_course ${activeOnly ? 'WHERE active' : ''} ORDER BY code`);
  }

  async createCourse(actor: Actor, input: { code: string; title: string; passScore: string; validityMonths: number }): Promise<CourseRow> {
    const code = (input.code ?? '').trim().toUpperCase();
    if (!/^[A-Z0-9-]{2,30}$/.test(code)) throw new RuleViolation('staff:errors.badCourseCode', 'code');
    const title = (input.title ?? '').trim();
    if (!title) throw new RuleViolation('staff:errors.courseTitle', 'title');
    examPassed(input.passScore, 0); // the pass score is itself a score 0–100
    return this.db.transaction(async (m) => {
      const [dup] = await m.query(`SELECT 1 FROM staff_course WHERE code = $1`, [code]);
      if (dup) throw new RuleViolation('staff:errors.courseExists', 'code', { code });
      const [row] = await m.query(`INSERT INTO staff_course (code, title, pass_score, validity_months) VALUES ($1, $2, $3, $4)
        RETURNING id, code, title, pass_score::text AS "passScore", validity_months AS "validityMonths", active`, [code, title, input.passScore, input.validityMonths]);
      await this.audit.record(actor, { action: 'staff.course.create', entityType: 'staff_course', entityId: row.id, after: row }, m);
      return row;
    });
  }

  /** A channel manager records an exam result; passed is decided from the course's pass score. */
  async recordExam(actor: Actor, staffId: number, input: { courseId: number; takenOn: string; score: string }): Promise<ExamRow> {
    if (!isValidIsoDate(input.takenOn) || input.takenOn > todayIso()) throw new RuleViolation('staff:errors.badExamDate', 'takenOn');
    const id = await this.db.transaction(async (m) => {
      const s = await this.get(actor, staffId, m);
      const [course] = await m.query(`SELECT id, pass_score::text AS "passScore", active FROM staff_course WHERE id = $1`, [input.courseId]);
      if (!course || !course.active) throw new RuleViolation('staff:errors.noCourse', 'courseId');
      const passed = examPassed(input.score, course.passScore);
      const [row] = await m.query(`INSERT INTO staff_exam (staff_id, course_id, taken_on, score, passed, recorded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [staffId, course.id, input.takenOn, input.score, passed, actor.id > 0 ? actor.id : null]);
      await this.audit.record(actor, { action: 'staff.exam', entityType: 'staff_member', entityId: staffId, partnerId: s.partnerId, after: { examId: row.id, courseId: course.id, takenOn: input.takenOn, score: input.score, passed } }, m);
      return row.id as number;
    });
    return (await this.exams(staffId)).find((e) => e.id === id)!;
  }

  async exams(staffId: number): Promise<ExamRow[]> {
    const rows = await this.db.query(
      `SELECT e.id, e.course_id AS "courseId", c.code AS "courseCode", c.title AS "courseTitle", e.taken_on AS "takenOn", e.score::text AS score, e.passed,
              (SELECT min(x.id) FROM staff_certificate x WHERE x.exam_id = e.id AND x.revoked_at IS NULL) AS "certificateId"
         FROM staff_exam e JOIN staff_course c ON c.id = e.course_id WHERE e.staff_id = $1 ORDER BY e.taken_on DESC, e.id DESC`, [staffId]);
    return rows.map((r: ExamRow) => ({ ...r, takenOn: dateText(r.takenOn) }));
  }

  // ---- certificates -----------------------------------------------------------------------------------------

  /** Issues a certificate for a passed exam (one unrevoked certificate per exam), valid for the course's months. */
  async issue(actor: Actor, examId: number): Promise<CertificateRow> {
    const id = await this.db.transaction(async (m) => {
      const [e] = await m.query(
        `SELECT e.id, e.staff_id, e.passed, c.validity_months, s.partner_id, s.active FROM staff_exam e JOIN staff_course c ON c.id = e.course_id
           JOIN staff_member s ON s.id = e.staff_id WHERE e.id = $1 FOR UPDATE OF e`, [examId]);
      if (!e || !(await this.scope.partnerInScope(actor, e.partner_id, m))) throw new NotFoundException('staff:errors.examNotFound');
      if (!e.passed) throw new RuleViolation('staff:errors.examNotPassed', 'examId');
      if (!e.active) throw new RuleViolation('staff:errors.inactive', 'examId');
      const [held] = await m.query(`SELECT number FROM staff_certificate WHERE exam_id = $1 AND revoked_at IS NULL`, [examId]);
      if (held) throw new RuleViolation('staff:errors.alreadyIssued', 'examId', { number: held.number });
      const today = todayIso();
      const [{ seq }] = await m.query(`SELECT nextval('staff_certificate_seq')::int AS seq`);
      const number = certificateNumber(Number(today.slice(0, 4)), seq);
      const until = validUntil(today, e.validity_months);
      const [row] = await m.query(`INSERT INTO staff_certificate (number, staff_id, exam_id, issued_on, valid_until, issued_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [number, e.staff_id, examId, today, until, actor.id > 0 ? actor.id : null]);
      await this.audit.record(actor, { action: 'staff.certificate.issue', entityType: 'staff_certificate', entityId: row.id, partnerId: e.partner_id, after: { number, staffId: e.staff_id, examId, issuedOn: today, validUntil: until } }, m);
      return row.id as number;
    });
    return this.certificate(id);
  }

  async revoke(actor: Actor, certificateId: number, reason: string): Promise<CertificateRow> {
    await this.db.transaction(async (m) => {
      const [c] = await m.query(`SELECT c.id, c.number, c.revoked_at AS "revokedAt", s.partner_id FROM staff_certificate c JOIN staff_member s ON s.id = c.staff_id WHERE c.id = $1 FOR UPDATE OF c`, [certificateId]);
      if (!c || !(await this.scope.partnerInScope(actor, c.partner_id, m))) throw new NotFoundException('staff:errors.certificateNotFound');
      const why = checkRevoke(c, reason);
      await m.query(`UPDATE staff_certificate SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE id = $1`, [certificateId, actor.id > 0 ? actor.id : null, why]);
      await this.audit.record(actor, { action: 'staff.certificate.revoke', entityType: 'staff_certificate', entityId: certificateId, partnerId: c.partner_id, before: { number: c.number, revoked: false }, after: { revoked: true }, reason: why }, m);
    });
    return this.certificate(certificateId);
  }

  private readonly CERT_SELECT = `
    SELECT c.id, c.number, c.staff_id AS "staffId", co.title AS "courseTitle", c.issued_on AS "issuedOn", c.valid_until AS "validUntil",
           c.revoked_at AS "revokedAt", c.revoke_reason AS "revokeReason"
      FROM staff_certificate c JOIN staff_exam e ON e.id = c.exam_id JOIN staff_course co ON co.id = e.course_id`;

  private toCert(r: CertificateRow): CertificateRow {
    const c = { ...r, issuedOn: dateText(r.issuedOn), validUntil: dateText(r.validUntil) };
    return { ...c, status: certificateStatus(c, todayIso()) };
  }

  async certificate(id: number): Promise<CertificateRow> {
    const [r] = await this.db.query(`${this.CERT_SELECT} WHERE c.id = $1`, [id]);
    if (!r) throw new NotFoundException('staff:errors.certificateNotFound');
    return this.toCert(r);
  }

  async certificatesOf(staffId: number): Promise<CertificateRow[]> {
    return (await this.db.query(`${this.CERT_SELECT} WHERE c.staff_id = $1 ORDER BY c.issued_on DESC, c.id DESC`, [staffId])).map((r: CertificateRow) => this.toCert(r));
  }

  /** The public check of a certificate number: name, partner and validity only; null when there is no such number. */
  async verify(input: string): Promise<PublicCertificate | null> {
    const number = parseCertificateNumber(input);
    if (!number) return null;
    const [r] = await this.db.query(
      `SELECT c.number, s.name, p.name AS "partnerName", c.issued_on AS "issuedOn", c.valid_until AS "validUntil", c.revoked_at AS "revokedAt"
         FROM staff_certificate c JOIN staff_member s ON s.id = c.staff_id JOIN partner p ON p.id = s.partner_id WHERE c.number = $1`, [number]);
    if (!r) return null;
    return publicCertificate({ ...r, issuedOn: dateText(r.issuedOn), validUntil: dateText(r.validUntil) }, todayIso());
  }
}
