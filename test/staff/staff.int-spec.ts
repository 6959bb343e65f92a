import { createTestApp, Session, TestApp } from '../support/test-app';

describe('partner staff, training and certification', () => {
  let t: TestApp;
  let manager: Session;
  let a: { id: number; name: string };
  let b: { id: number; name: string };
  let userA: Session;
  let userB: Session;
  let courseId: number;

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.createPartner();
    b = await t.createPartner();
    manager = await t.loginAs('channel_manager');
    userA = await t.loginAs('partner', { partnerId: a.id });
    userB = await t.loginAs('partner', { partnerId: b.id });
    courseId = (await manager.post('/api/staff/courses', { code: 'svc-101', title: '集团客户服务技能', passScore: '60', validityMonths: 24 }).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  const register = (s: Session, body: object = {}) => s.post('/api/staff', { name: '张伟', phone: '13908510001', role: 'engineer', ...body });

  it('lets a partner register and edit its own staff, audited; staff may not', async () => {
    const s = (await register(userA).expect(201)).body;
    expect(s).toMatchObject({ partnerId: a.id, name: '张伟', phone: '13908510001', role: 'engineer', active: true });
    expect((await register(userA, { phone: '12345678' })).status).toBe(422);
    expect((await register(userA, { role: 'boss' })).status).toBe(400);
    expect((await manager.post('/api/staff', { name: 'x', phone: '13908510001', role: 'engineer' })).status).toBe(403);
    const edited = (await userA.put(`/api/staff/${s.id}`, { name: '张伟', phone: '0851-86681234', role: 'service_manager' }).expect(200)).body;
    expect(edited).toMatchObject({ phone: '0851-86681234', role: 'service_manager' });
    const actions = (await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'staff_member' AND entity_id = $1 ORDER BY id`, [String(s.id)])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['staff.create', 'staff.update']);
  });

  it('keeps partners apart: another partner\'s staff answers 404, lists show only their own; managers see all', async () => {
    const sb = (await register(userB, { name: '李娜' }).expect(201)).body;
    expect((await userA.getJson(`/api/staff/${sb.id}`)).status).toBe(404);
    expect((await userA.put(`/api/staff/${sb.id}`, { name: 'hijack', phone: '13908510009', role: 'other' })).status).toBe(404);
    expect((await userA.get(`/my/staff/${sb.id}`)).status).toBe(404);
    expect((await userA.get(`/documents/on/staff_member/${sb.id}`)).status).toBe(404);
    const listA = (await userA.getJson(`/api/staff?partnerId=${b.id}`).expect(200)).body.rows as { partnerId: number }[];
    expect(listA.length).toBeGreaterThan(0);
    expect(listA.every((r) => r.partnerId === a.id)).toBe(true);
    expect((await userA.get('/my/staff').expect(200)).text).not.toContain('李娜');
    const all = (await manager.getJson('/api/staff').expect(200)).body.rows as { partnerId: number }[];
    expect(new Set(all.map((r) => r.partnerId))).toEqual(new Set([a.id, b.id]));
    const [{ name }] = await t.db.query(`SELECT name FROM staff_member WHERE id = $1`, [sb.id]);
    expect(name).toBe('李娜');
  });

  it('records exams, issues a certificate only for a passed one, and revokes it with a reason', async () => {
    const s = (await register(userA, { name: '王强' }).expect(201)).body;
    const failed = (await manager.post(`/api/staff/${s.id}/exams`, { courseId, takenOn: '2026-09-20', score: '59.99' }).expect(201)).body;
    expect(failed.passed).toBe(false);
    const refused = await manager.post(`/api/staff/exams/${failed.id}/certificate`);
    expect(refused.status).toBe(422);
    const passed = (await manager.post(`/api/staff/${s.id}/exams`, { courseId, takenOn: '2026-09-21', score: '60' }).expect(201)).body;
    expect(passed.passed).toBe(true);
    expect((await userA.post(`/api/staff/exams/${passed.id}/certificate`)).status).toBe(403);
    const cert = (await manager.post(`/api/staff/exams/${passed.id}/certificate`).expect(201)).body;
    expect(cert.number).toMatch(/^RZ-\d{4}-\d{6}-[2-9A-HJKMNP-Z]{4}$/);
    expect(cert.status).toBe('valid');
    expect(cert.validUntil > cert.issuedOn).toBe(true);
    expect((await manager.post(`/api/staff/exams/${passed.id}/certificate`)).status).toBe(422); // once per exam
    expect((await manager.post(`/api/staff/certificates/${cert.id}/revoke`, { reason: ' ' })).status).toBe(422);
    const revoked = (await manager.post(`/api/staff/certificates/${cert.id}/revoke`, { reason: '人员离职' }).expect(200)).body;
    expect(revoked.status).toBe('revoked');
    const [audit] = await t.db.query(`SELECT reason FROM audit_log WHERE action = 'staff.certificate.revoke' AND entity_id = $1`, [String(cert.id)]);
    expect(audit.reason).toBe('人员离职');
    expect((await manager.post(`/api/staff/certificates/${cert.id}/revoke`, { reason: 'again' })).status).toBe(422);
  });

  it('verifies a number publicly, showing only name, partner and validity', async () => {
    const s = (await register(userA, { name: '赵敏', phone: '13812345678' }).expect(201)).body;
    const exam = (await manager.post(`/api/staff/${s.id}/exams`, { courseId, takenOn: '2026-09-21', score: '88.5' }).expect(201)).body;
    const cert = (await manager.post(`/api/staff/exams/${exam.id}/certificate`).expect(201)).body;
    const anon = t.anonymous('zh-CN');
    const page = await anon.get(`/verify/${cert.number.toLowerCase()}`).expect(200);
    expect(page.text).toContain('赵敏');
    expect(page.text).toContain(a.name);
    expect(page.text).toContain('有效');
    // nothing else about the person or the partner
    for (const secret of ['13812345678', '工程师', '88.5', '集团客户服务技能', `/staff/${s.id}`]) expect(page.text).not.toContain(secret);
    const [p] = await t.db.query(`SELECT code, credit_code, bank_account_no FROM partner WHERE id = $1`, [a.id]);
    for (const secret of [p.code, p.credit_code, p.bank_account_no]) expect(page.text).not.toContain(secret);
    expect(page.headers['cache-control']).toContain('no-store');
    // revoked shows as revoked; an unknown number is a 404 page that names nobody
    await manager.post(`/api/staff/certificates/${cert.id}/revoke`, { reason: '标识遗失' }).expect(200);
    const after = await anon.get(`/verify/${cert.number}`).expect(200);
    expect(after.text).toContain('已撤销');
    expect(after.text).not.toContain('标识遗失');
    const unknown = await anon.get('/verify/RZ-2026-999999-ABCD').expect(404);
    expect(unknown.text).toContain('没有查到这个认证编号');
    expect((await anon.get(`/verify?number=${encodeURIComponent(cert.number)}`)).headers.location).toBe(`/verify/${cert.number}`);
  });

  it('limits public checks per address', async () => {
    const anon = t.anonymous('zh-CN');
    let limited = 0;
    for (let i = 0; i < 35; i++) if ((await anon.get('/verify/RZ-2026-000000-ABCD')).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });

  it('works through the pages: register, exam, issue', async () => {
    const created = await userA.postForm('/my/staff', { name: '陈静', phone: '13700000000', role: 'account_rep' }).expect(303);
    const id = Number(/\/my\/staff\/(\d+)$/.exec(created.headers.location)![1]);
    await manager.postForm(`/staff/${id}/exams`, { courseId, takenOn: '2026-10-01', score: '75' }).expect(303);
    const [exam] = await t.db.query(`SELECT id FROM staff_exam WHERE staff_id = $1`, [id]);
    await manager.postForm(`/staff/exams/${exam.id}/certificate`, {}).expect(303);
    const detail = await manager.get(`/staff/${id}`).expect(200);
    expect(detail.text).toMatch(/RZ-\d{4}-\d{6}/);
    // #18: the list's partner filter is a typed code, not a select of every partner
    const [{ code: aCode }] = await t.db.query(`SELECT code FROM partner WHERE id = $1`, [a.id]);
    const mine = await manager.get(`/staff?partner=${encodeURIComponent(aCode)}`).expect(200);
    expect(mine.text).toContain('陈静');
    expect(mine.text).not.toContain(`<option value="${a.id}"`);
    expect((await manager.get('/staff?partner=NOPE-404').expect(200)).text).not.toContain('陈静');
    expect((await userA.get(`/my/staff/${id}`).expect(200)).text).toContain('陈静');
    await userA.postForm(`/my/staff/${id}`, { name: '陈静', phone: '13700000000', role: 'account_rep' }).expect(303); // unticked: deactivated
    const [row] = await t.db.query(`SELECT active FROM staff_member WHERE id = $1`, [id]);
    expect(row.active).toBe(false);
  });
});
