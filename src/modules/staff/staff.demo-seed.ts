import { Injectable } from '@nestjs/common';
import { todayIso } from '../../core/period/period.util';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { certificateNumber, validUntil } from './staff.util';

/** Demo: two courses, staff for the first active partners, exams, certificates (one revoked) for the verification page. */
@Injectable()
@DemoSeed(85)
export class StaffDemoSeed implements DemoSeeder {
  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const active = ((ctx.bag.activePartnerIds as number[] | undefined) ?? []).slice(0, 3);
    if (!active.length) return ctx.log('staff: no active partners in the demo; skipped');
    const managerId = (ctx.bag['user:manager'] as number | undefined) ?? null;
    const [svc] = await m.query(`INSERT INTO staff_course (code, title, pass_score, validity_months) VALUES ('SVC-101', '集团客户服务技能与技巧', 60, 24) RETURNING id`);
    const [line] = await m.query(`INSERT INTO staff_course (code, title, pass_score, validity_months) VALUES ('NET-201', '集团专线开通与故障处理', 70, 24) RETURNING id`);
    const people: [string, string, string][] = [['张伟', '13908510001', 'engineer'], ['李娜', '13908510002', 'account_rep'], ['王强', '13908510003', 'engineer'], ['刘洋', '13908510004', 'service_manager']];
    const today = todayIso();
    let certs = 0;
    for (const [pi, partnerId] of active.entries()) {
      for (const [i, [name, phone, role]] of people.entries()) {
        if (pi > 0 && i > 2) continue;
        const [s] = await m.query(`INSERT INTO staff_member (partner_id, name, phone, role) VALUES ($1, $2, $3, $4) RETURNING id`, [partnerId, pi ? `${name}${pi}` : name, phone.replace(/1$/, String(pi + 1)), role]);
        const course = role === 'engineer' ? line.id : svc.id;
        const score = i === 2 ? '58.50' : String(78 + i * 4);
        const passed = i !== 2;
        const [e] = await m.query(`INSERT INTO staff_exam (staff_id, course_id, taken_on, score, passed, recorded_by) VALUES ($1, $2, '2026-09-20', $3, $4, $5) RETURNING id`, [s.id, course, score, passed, managerId]);
        if (!passed) continue;
        const [{ seq }] = await m.query(`SELECT nextval('staff_certificate_seq')::int AS seq`);
        const issuedOn = '2026-09-25';
        const revoked = pi === 0 && i === 3;
        await m.query(
          `INSERT INTO staff_certificate (number, staff_id, exam_id, issued_on, valid_until, issued_by, revoked_at, revoked_by, revoke_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [certificateNumber(2026, seq), s.id, e.id, issuedOn, validUntil(issuedOn, 24), managerId, revoked ? new Date(`${today}T02:00:00Z`) : null, revoked ? managerId : null, revoked ? '人员已离职，认证工作标识收回。' : null]);
        certs++;
      }
    }
    ctx.log(`staff: ${certs} certificates`);
  }
}
