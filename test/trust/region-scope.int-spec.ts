import { Actor } from '../../src/core/auth/actor';
import { DutiesDashboardSection } from '../../src/modules/duties/duties.dashboard';
import { NotificationsService } from '../../src/modules/notifications/notifications.service';
import { OnboardingDashboard } from '../../src/modules/onboarding/onboarding.dashboard';
import { ManagerDashboard } from '../../src/modules/reports/dashboards/manager.dashboard';
import { ScoringDashboard } from '../../src/modules/scoring/scoring.dashboard';
import { createTestApp, Session, TestApp, testCreditCode } from '../support/test-app';

/**
 * Channel managers scoped to regions (#17): a manager of 安顺市 lists and acts on 安顺市 partners and customers only
 * (its counties included); a 贵阳市 partner or customer answers 404 like a missing one, for reads and writes. A manager
 * without regions (province-level), finance and admins see both. The admin's assignment applies to the next request.
 */
describe('region scope of channel managers', () => {
  let t: TestApp;
  let admin: Session;
  let finance: Session;
  let province: Session;
  let scoped: Session;
  let scopedId: number;
  let anshunId: number;
  let guiyangId: number;
  const P = {} as Record<'gy' | 'as' | 'xixiu', { id: number; code: string; name: string }>;
  const C = {} as Record<'gy' | 'as' | 'pingba', { id: number; code: string; name: string }>;

  const partnerCodes = async (s: Session) => ((await s.getJson('/api/partners?limit=200').expect(200)).body.items as { code: string }[]).map((p) => p.code);
  const customerCodes = async (s: Session) => ((await s.getJson('/api/customers').expect(200)).body.rows as { code: string }[]).map((c) => c.code);
  const assign = (ids: number[]) => admin.put(`/api/admin/users/${scopedId}/regions`, { regionIds: ids });

  beforeAll(async () => {
    t = await createTestApp();
    [{ id: guiyangId }] = await t.db.query(`SELECT id FROM region WHERE name = '贵阳市'`);
    [{ id: anshunId }] = await t.db.query(`SELECT id FROM region WHERE name = '安顺市'`);
    const contact = { contactName: '张伟', contactPhone: '0851-88886666', contactEmail: 'zhangwei@example.cn' };
    P.gy = await t.createPartner({ ...contact, code: 'GY-RS-001', region: '贵阳市' });
    P.as = await t.createPartner({ ...contact, code: 'AS-RS-001', region: '安顺市' });
    P.xixiu = await t.createPartner({ ...contact, code: 'AS-RS-002', region: '西秀区' });
    for (const [k, code, region] of [['gy', 'RS-C-GY', '贵阳市'], ['as', 'RS-C-AS', '安顺市'], ['pingba', 'RS-C-PB', '平坝区']] as const) {
      [C[k]] = await t.db.query(
        `INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ($1, $2, '制造业', $3, 'B', 'development') RETURNING id, code, name`,
        [code, `区域测试客户 ${code}`, region]);
    }
    admin = await t.loginAs('admin');
    finance = await t.loginAs('finance');
    province = await t.loginAs('channel_manager');
    const u = await t.createUser('channel_manager');
    scopedId = u.id;
    scoped = await t.login(u.username, u.password);
  }, 120_000);
  afterAll(() => t?.close());

  it('a manager without regions is province-level: sees every partner and customer', async () => {
    expect(await partnerCodes(scoped)).toEqual(expect.arrayContaining([P.gy.code, P.as.code, P.xixiu.code]));
    expect(await customerCodes(scoped)).toEqual(expect.arrayContaining([C.gy.code, C.as.code, C.pingba.code]));
  });

  it('the admin assigns 安顺市 (audited) and it applies to the manager\'s next request', async () => {
    const res = await assign([anshunId]).expect(200);
    expect(res.body).toEqual({ userId: scopedId, regions: ['安顺市'] });
    const [audit] = await t.db.query(`SELECT before, after FROM audit_log WHERE action = 'user.regions' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(scopedId)]);
    expect(audit.after).toEqual({ regions: ['安顺市'] });
    // same session, no new sign-in
    const partners = await partnerCodes(scoped);
    expect(partners).toEqual(expect.arrayContaining([P.as.code, P.xixiu.code]));
    expect(partners).not.toContain(P.gy.code);
    const customers = await customerCodes(scoped);
    expect(customers.sort()).toEqual([C.as.code, C.pingba.code].sort());
  });

  it('list pages and the Excel-less filters show only the manager\'s regions', async () => {
    const partners = await scoped.get('/partners').set('Accept', 'text/html').expect(200);
    expect(partners.text).toContain(P.as.code);
    expect(partners.text).not.toContain(P.gy.code);
    // asking for another region by filter finds nothing rather than widening the scope
    const filtered = (await scoped.getJson('/api/partners?region=贵阳市').expect(200)).body;
    expect(filtered.total).toBe(0);
    const customers = await scoped.get('/customers').set('Accept', 'text/html').expect(200);
    expect(customers.text).toContain(C.as.code);
    expect(customers.text).not.toContain(C.gy.code);
  });

  it('a 贵阳市 partner answers 404 for reads and writes, and nothing changes', async () => {
    for (const url of [`/api/partners/${P.gy.id}`, `/api/partners/${P.gy.id}/history`, `/api/partners/${P.gy.id}/changes`]) {
      const r = await scoped.getJson(url);
      expect([url, r.status]).toEqual([url, 404]);
      expect(r.text).not.toContain(P.gy.name);
    }
    for (const url of [`/partners/${P.gy.id}`, `/partners/${P.gy.id}/edit`, `/partners/${P.gy.id}/certificate`]) {
      expect([url, (await scoped.get(url).set('Accept', 'text/html')).status]).toEqual([url, 404]);
    }
    expect((await scoped.patch(`/api/partners/${P.gy.id}`, { contactName: '越权修改' })).status).toBe(404);
    expect((await scoped.post(`/api/partners/${P.gy.id}/suspend`, { reason: '越权暂停' })).status).toBe(404);
    // a refused form post goes back (303 to the start page, no referer) instead of to the partner
    const form = await scoped.postForm(`/partners/${P.gy.id}/edit`, { contactName: '越权修改' });
    expect([form.status, form.headers.location]).toEqual([303, '/']);
    const [row] = await t.db.query(`SELECT contact_name, status FROM partner WHERE id = $1`, [P.gy.id]);
    expect(row).toEqual({ contact_name: expect.not.stringContaining('越权'), status: 'active' });
    // its own partners still work (a county partner included)
    expect((await scoped.getJson(`/api/partners/${P.xixiu.id}`)).status).toBe(200);
    expect((await scoped.patch(`/api/partners/${P.as.id}`, { contactName: '安顺联系人' })).status).toBe(200);
  });

  it('a scoped manager cannot move its partner or create a customer outside its regions', async () => {
    const moved = await scoped.patch(`/api/partners/${P.as.id}`, { region: '贵阳市' });
    expect(moved.status).toBe(422);
    expect(moved.body.errors[0].field).toBe('region');
    expect((await t.db.query(`SELECT region FROM partner WHERE id = $1`, [P.as.id]))[0].region).toBe('安顺市');
    const created = await scoped.post('/api/customers', { code: 'RS-C-NEW', name: '越界客户', industry: '制造业', region: '贵阳市', customerClass: 'C' });
    expect(created.status).toBe(422);
    expect(await t.db.query(`SELECT 1 FROM customer WHERE code = 'RS-C-NEW'`)).toHaveLength(0);
    // nor import customers of another region (the whole file is refused with the row), nor enter an applicant there
    const csv = 'code,name,industry,region,class,stage,partner_code,assigned_from\nRS-IMP-1,安顺导入,制造业,安顺市,B,development,,\nRS-IMP-2,贵阳导入,制造业,贵阳市,B,development,,\n';
    const imported = await scoped.upload('/api/customers/import', 'file', csv);
    expect(imported.status).toBe(422);
    expect(imported.body.rows).toEqual([expect.objectContaining({ row: 3, column: 'region' })]);
    expect(await t.db.query(`SELECT 1 FROM customer WHERE code LIKE 'RS-IMP-%'`)).toHaveLength(0);
    const applicant = { name: '贵阳越界科技有限公司', creditCode: testCreditCode(9901), contactName: '李四', contactPhone: '0851-8888999', contactEmail: 'lisi@example.cn', region: '贵阳市', cooperationType: 'sales' };
    const applied = await scoped.post('/api/onboarding/applications', applicant);
    expect([applied.status, applied.body.errors?.[0]?.field]).toEqual([422, 'region']);
    expect((await scoped.post('/api/onboarding/applications', { ...applicant, name: '安顺界内科技有限公司', creditCode: testCreditCode(9902), region: '普定县' })).status).toBe(201);
    // nor hand one of its customers to another region's partner, which its holder list does not offer
    const handed = await scoped.post(`/api/customers/${C.as.id}/assignments`, { partnerId: P.gy.id, effectiveOn: '2026-01-05', reason: '越界移交', overrideReason: '试一试' });
    expect([handed.status, handed.body.errors?.[0]?.field]).toEqual([422, 'partnerId']);
    expect(await t.db.query(`SELECT 1 FROM customer_assignment WHERE customer_id = $1 AND partner_id = $2`, [C.as.id, P.gy.id])).toHaveLength(0);
    const detail = await scoped.get(`/customers/${C.as.id}`).set('Accept', 'text/html').expect(200);
    expect(detail.text).toContain(P.as.code);
    expect(detail.text).not.toContain(P.gy.code);
    expect((await province.get(`/customers/${C.as.id}`).set('Accept', 'text/html').expect(200)).text).toContain(P.gy.code);
  });

  it('a 贵阳市 customer answers 404 for reads and writes, and nothing changes', async () => {
    for (const url of [`/api/customers/${C.gy.id}`, `/api/customers/${C.gy.id}/changes`]) {
      const r = await scoped.getJson(url);
      expect([url, r.status]).toEqual([url, 404]);
      expect(r.text).not.toContain(C.gy.name);
    }
    for (const url of [`/customers/${C.gy.id}`, `/customers/${C.gy.id}/edit`]) {
      expect([url, (await scoped.get(url).set('Accept', 'text/html')).status]).toEqual([url, 404]);
    }
    const writes: [string, () => Promise<{ status: number }>][] = [
      ['PATCH', () => scoped.patch(`/api/customers/${C.gy.id}`, { name: '越权改名' })],
      ['class', () => scoped.post(`/api/customers/${C.gy.id}/class`, { customerClass: 'A', classReason: '越权' })],
      ['stage', () => scoped.post(`/api/customers/${C.gy.id}/stage`, { stage: 'maturity', effectiveOn: '2026-01-05', reason: '越权' })],
      ['assignments', () => scoped.post(`/api/customers/${C.gy.id}/assignments`, { partnerId: P.as.id, effectiveOn: '2026-01-05', reason: '越权', overrideReason: '越权' })],
    ];
    for (const [what, send] of writes) expect([what, (await send()).status]).toEqual([what, 404]);
    const forms: [string, Record<string, string>][] = [
      [`/customers/${C.gy.id}/reassign`, { holder: `p:${P.as.id}`, effectiveOn: '2026-01-05', reason: '越权', overrideReason: '越权' }],
      [`/customers/${C.gy.id}/stage`, { stage: 'maturity', stageOn: '2026-01-05', stageReason: '越权' }],
      [`/customers/${C.gy.id}/class`, { customerClass: 'A', classReason: '越权' }],
      [`/customers/${C.gy.id}/edit`, { name: '越权改名' }],
    ];
    for (const [url, body] of forms) {
      const form = await scoped.postForm(url, body);
      expect([url, form.status, form.headers.location]).toEqual([url, 303, '/']);
    }
    const [row] = await t.db.query(`SELECT name, customer_class, stage FROM customer WHERE id = $1`, [C.gy.id]);
    expect(row).toEqual({ name: C.gy.name, customer_class: 'B', stage: 'development' });
    expect(await t.db.query(`SELECT 1 FROM customer_assignment WHERE customer_id = $1`, [C.gy.id])).toHaveLength(0);
    // its own customers still work
    expect((await scoped.getJson(`/api/customers/${C.pingba.id}`)).status).toBe(200);
    expect((await scoped.post(`/api/customers/${C.as.id}/class`, { customerClass: 'A', classReason: '重点客户' })).status).toBe(201);
  });

  it('violations hang off the partner: other regions\' are not listed, answer 404, and cannot be recorded or voided', async () => {
    const [kind] = await t.db.query(`SELECT id FROM violation_kind WHERE severity <> 'major' ORDER BY id LIMIT 1`);
    const body = (partnerId: number) => ({ partnerId, kindId: kind.id, occurredOn: '2026-01-05', description: '上门服务迟到' });
    const gy = (await admin.post('/api/violations', body(P.gy.id)).expect(201)).body;
    const as = (await admin.post('/api/violations', body(P.as.id)).expect(201)).body;
    const listed = ((await scoped.getJson('/api/violations').expect(200)).body as { id: number }[]).map((v) => v.id);
    expect(listed).toContain(as.id);
    expect(listed).not.toContain(gy.id);
    expect((await scoped.getJson(`/api/violations/${gy.id}`)).status).toBe(404);
    expect((await scoped.get(`/violations/${gy.id}`).set('Accept', 'text/html')).status).toBe(404);
    expect((await scoped.post(`/api/violations/${gy.id}/void`, { reason: '越权作废' })).status).toBe(404);
    expect((await t.db.query(`SELECT status FROM violation WHERE id = $1`, [gy.id]))[0].status).toBe('recorded');
    expect((await scoped.post('/api/violations', body(P.gy.id))).status).toBe(422);
    expect((await scoped.post('/api/violations', body(P.xixiu.id))).status).toBe(201);
    expect(((await province.getJson('/api/violations').expect(200)).body as { id: number }[]).map((v) => v.id)).toEqual(expect.arrayContaining([gy.id, as.id]));
  });

  it('exit proposals hang off the partner: other regions\' are not listed, answer 404 and cannot be decided', async () => {
    const propose = async (partnerId: number) => (await t.db.query(
      `INSERT INTO exit_proposal (partner_id, trigger, evidence) VALUES ($1, 'voluntary', '{}'::jsonb) RETURNING id`, [partnerId]))[0].id as number;
    const gy = await propose(P.gy.id);
    const as = await propose(P.as.id);
    const listed = ((await scoped.getJson('/api/exits').expect(200)).body as { id: number }[]).map((x) => x.id);
    expect(listed).toContain(as);
    expect(listed).not.toContain(gy);
    const page = await scoped.get('/exits').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(P.as.code);
    expect(page.text).not.toContain(P.gy.code);
    expect((await scoped.getJson(`/api/exits/${gy}`)).status).toBe(404);
    expect((await scoped.get(`/exits/${gy}`).set('Accept', 'text/html')).status).toBe(404);
    expect((await scoped.post(`/api/exits/${gy}/dismiss`, { reason: '越权驳回' })).status).toBe(404);
    expect((await t.db.query(`SELECT status FROM exit_proposal WHERE id = $1`, [gy]))[0].status).toBe('proposed');
    // the handover and completion of another region's exit: as if missing (a province-level manager is refused on the merits)
    for (const url of [`/api/exits/${gy}/handover`, `/api/exits/${gy}/archive`]) expect([url, (await scoped.getJson(url)).status]).toEqual([url, 404]);
    expect((await scoped.post(`/api/exits/${gy}/complete`, {})).status).toBe(404);
    const merits = await province.post(`/api/exits/${gy}/complete`, {});
    expect(merits.status).not.toBe(404);
    expect(merits.status).toBeGreaterThanOrEqual(400);
    expect((await scoped.getJson(`/api/exits/${as}`)).status).toBe(200);
    expect(((await province.getJson('/api/exits').expect(200)).body as { id: number }[]).map((x) => x.id)).toEqual(expect.arrayContaining([gy, as]));
  });

  it('applications by the applicant\'s region: other regions\' are not listed and answer 404, also for the review', async () => {
    const apply = async (code: string, region: string) => {
      const p = await t.createPartner({ code, region, status: 'applied', tier: null, certificationId: null });
      return (await t.db.query(`INSERT INTO onboarding_application (partner_id, channel) VALUES ($1, 'public') RETURNING id`, [p.id]))[0].id as number;
    };
    const gy = await apply('GY-RS-APP', '花溪区');
    const as = await apply('AS-RS-APP', '普定县');
    const listed = ((await scoped.getJson('/api/onboarding/applications').expect(200)).body as { id: number }[]).map((a) => a.id);
    expect(listed).toContain(as);
    expect(listed).not.toContain(gy);
    const page = await scoped.get('/onboarding/applications').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('AS-RS-APP');
    expect(page.text).not.toContain('GY-RS-APP');
    expect((await scoped.getJson(`/api/onboarding/applications/${gy}`)).status).toBe(404);
    expect((await scoped.get(`/onboarding/applications/${gy}`).set('Accept', 'text/html')).status).toBe(404);
    expect((await scoped.post(`/api/onboarding/applications/${gy}/review`, { scores: {}, comments: '越权' })).status).toBe(404);
    expect(await t.db.query(`SELECT 1 FROM application_review WHERE application_id = $1`, [gy])).toHaveLength(0);
    expect((await scoped.getJson(`/api/onboarding/applications/${as}`)).status).toBe(200);
    expect(((await province.getJson('/api/onboarding/applications').expect(200)).body as { id: number }[]).map((a) => a.id)).toEqual(expect.arrayContaining([gy, as]));
  });

  it('score sheets hang off the partner: the period lists and sheet actions are scoped', async () => {
    await admin.post('/api/scoring/periods', { period: '2025Q4' }).expect(201);
    const sheetOf = async (partnerId: number) => (await t.db.query(`SELECT id FROM score_sheet WHERE period = '2025Q4' AND partner_id = $1`, [partnerId]))[0].id as number;
    const gy = await sheetOf(P.gy.id);
    const as = await sheetOf(P.as.id);
    const listed = ((await scoped.getJson('/api/scoring/periods/2025Q4/sheets').expect(200)).body as { partnerId: number }[]).map((r) => r.partnerId);
    expect(listed).toEqual(expect.arrayContaining([P.as.id, P.xixiu.id]));
    expect(listed).not.toContain(P.gy.id);
    const page = await scoped.get('/scoring/2025Q4').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(P.as.code);
    expect(page.text).not.toContain(P.gy.code);
    expect((await scoped.getJson(`/api/scoring/sheets/${gy}`)).status).toBe(404);
    expect((await scoped.post(`/api/scoring/sheets/${gy}/submit`)).status).toBe(404);
    expect((await t.db.query(`SELECT status FROM score_sheet WHERE id = $1`, [gy]))[0].status).toBe('draft');
    expect((await scoped.getJson(`/api/scoring/sheets/${as}`)).status).toBe(200);
    expect(((await province.getJson('/api/scoring/periods/2025Q4/sheets').expect(200)).body as { partnerId: number }[]).map((r) => r.partnerId))
      .toEqual(expect.arrayContaining([P.gy.id, P.as.id]));
    // the spreadsheet path: the export lists the manager's partners only; an import naming another region's is refused
    const exported = (await scoped.get('/api/scoring/periods/2025Q4/export.csv').expect(200)).text;
    expect(exported).toContain(P.as.code);
    expect(exported).not.toContain(P.gy.code);
    expect((await province.get('/api/scoring/periods/2025Q4/export.csv').expect(200)).text).toContain(P.gy.code);
    const csv = ['partner_code,indicator_code,score,comment', `${P.as.code},PROFESSIONAL_QUALITY,88,`, `${P.gy.code},PROFESSIONAL_QUALITY,77,`].join('\n');
    const refused = await scoped.upload('/api/scoring/periods/2025Q4/import', 'file', csv);
    expect(refused.status).toBe(422);
    expect(refused.body.rows).toEqual([{ row: 3, column: 'partner_code', message: `no partner with code ${P.gy.code}` }]);
  });

  it('retention warnings follow the customer\'s region: listed, opened and closed only in the manager\'s regions', async () => {
    const warn = async (customerId: number) => (await t.db.query(
      `INSERT INTO retention_warning (customer_id, cause, due_on) VALUES ($1, 'stage', '2026-12-31') RETURNING id`, [customerId]))[0].id as number;
    const gy = await warn(C.gy.id);
    const pb = await warn(C.pingba.id);
    const listed = ((await scoped.getJson('/api/retention').expect(200)).body.rows as { id: number }[]).map((w) => w.id);
    expect(listed).toContain(pb);
    expect(listed).not.toContain(gy);
    const page = await scoped.get('/retention').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(C.pingba.code);
    expect(page.text).not.toContain(C.gy.code);
    expect((await scoped.getJson(`/api/retention/${gy}`)).status).toBe(404);
    expect((await scoped.post(`/api/retention/${gy}/close`, { outcome: 'retained' })).status).toBe(404);
    expect((await t.db.query(`SELECT status FROM retention_warning WHERE id = $1`, [gy]))[0].status).toBe('open');
    expect((await scoped.getJson(`/api/retention/${pb}`)).status).toBe(200);
    expect(((await province.getJson('/api/retention').expect(200)).body.rows as { id: number }[]).map((w) => w.id)).toEqual(expect.arrayContaining([gy, pb]));
  });

  it('complaint work orders follow the customer\'s region: listed, opened, worked and raised only in the manager\'s regions', async () => {
    const body = (customerId: number) => ({ customerId, kind: 'fault', category: 'network', description: '专线中断' });
    const gy = (await admin.post('/api/complaints', body(C.gy.id)).expect(201)).body;
    const pb = (await admin.post('/api/complaints', body(C.pingba.id)).expect(201)).body;
    const listed = ((await scoped.getJson('/api/complaints').expect(200)).body.rows as { id: number }[]).map((o) => o.id);
    expect(listed).toContain(pb.id);
    expect(listed).not.toContain(gy.id);
    expect((await scoped.getJson(`/api/complaints/${gy.id}`)).status).toBe(404);
    expect((await scoped.post(`/api/complaints/${gy.id}/start`)).status).toBe(404);
    expect((await t.db.query(`SELECT status FROM complaint WHERE id = $1`, [gy.id]))[0].status).toBe('open');
    expect((await scoped.post('/api/complaints', body(C.gy.id))).status).toBe(422);
    expect((await scoped.post(`/api/complaints/${pb.id}/start`)).status).toBe(201);
    expect(((await province.getJson('/api/complaints').expect(200)).body.rows as { id: number }[]).map((o) => o.id)).toEqual(expect.arrayContaining([gy.id, pb.id]));
  });

  it('policy support requests follow the partner\'s region: listed, opened and answered only in the manager\'s regions', async () => {
    const ask = async (partnerId: number) => (await (await t.loginAs('partner', { partnerId })).post('/api/support-requests', { kind: 'technical', subject: '专线割接支持', description: '需要技术支持' }).expect(201)).body.id as number;
    const gy = await ask(P.gy.id);
    const as = await ask(P.as.id);
    const listed = ((await scoped.getJson('/api/support-requests').expect(200)).body.rows as { id: number }[]).map((r) => r.id);
    expect(listed).toContain(as);
    expect(listed).not.toContain(gy);
    expect((await scoped.getJson(`/api/support-requests/${gy}`)).status).toBe(404);
    expect((await scoped.post(`/api/support-requests/${gy}/answer`, { answer: '越权答复' })).status).toBe(404);
    expect((await t.db.query(`SELECT status FROM support_request WHERE id = $1`, [gy]))[0].status).toBe('open');
    expect((await scoped.post(`/api/support-requests/${as}/answer`, { answer: '已安排工程师' })).status).toBe(200);
    expect(((await province.getJson('/api/support-requests').expect(200)).body.rows as { id: number }[]).map((r) => r.id)).toEqual(expect.arrayContaining([gy, as]));
  });

  it('partner staff follow the partner\'s region: listed and opened only in the manager\'s regions', async () => {
    const register = async (partnerId: number, name: string) => (await (await t.loginAs('partner', { partnerId })).post('/api/staff', { name, phone: '13800000000', role: 'engineer' }).expect(201)).body.id as number;
    const gy = await register(P.gy.id, '贵阳工程师');
    const as = await register(P.as.id, '安顺工程师');
    const listed = ((await scoped.getJson('/api/staff').expect(200)).body.rows as { id: number }[]).map((r) => r.id);
    expect(listed).toContain(as);
    expect(listed).not.toContain(gy);
    expect((await scoped.getJson(`/api/staff/${gy}`)).status).toBe(404);
    expect((await scoped.getJson(`/api/staff/${as}`)).status).toBe(200);
    expect(((await province.getJson('/api/staff').expect(200)).body.rows as { id: number }[]).map((r) => r.id)).toEqual(expect.arrayContaining([gy, as]));
  });

  it('notifications about a partner reach the managers in charge: province-level ones and those of its region', async () => {
    const notifications = t.get(NotificationsService);
    const gy = await notifications.managersInCharge(P.gy.id);
    const xixiu = await notifications.managersInCharge(P.xixiu.id);
    expect(gy).toContain(province.user!.id);
    expect(gy).not.toContain(scopedId);
    expect(xixiu).toEqual(expect.arrayContaining([province.user!.id, scopedId]));
    expect(await notifications.managersInCharge(0)).toEqual(expect.arrayContaining([province.user!.id, scopedId]));
  });

  it('a province-level manager, finance and the admin still see both regions', async () => {
    for (const s of [province, finance, admin]) {
      expect(await partnerCodes(s)).toEqual(expect.arrayContaining([P.gy.code, P.as.code]));
      expect((await s.getJson(`/api/partners/${P.gy.id}`)).status).toBe(200);
    }
    for (const s of [province, admin]) {
      expect(await customerCodes(s)).toEqual(expect.arrayContaining([C.gy.code, C.as.code]));
      expect((await s.getJson(`/api/customers/${C.gy.id}`)).status).toBe(200);
    }
  });

  it('the users page shows and changes the regions; an empty list makes the manager province-level again', async () => {
    const page = await admin.get('/admin/users').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(`action="/admin/users/${scopedId}/regions"`);
    expect(page.text).toMatch(new RegExp(`name="regionIds" value="${anshunId}" checked`));
    await admin.postForm(`/admin/users/${scopedId}/regions`, { regionIds: guiyangId }).expect(303);
    expect(await partnerCodes(scoped)).toContain(P.gy.code);
    expect(await partnerCodes(scoped)).not.toContain(P.as.code);
    await assign([]).expect(200);
    expect(await partnerCodes(scoped)).toEqual(expect.arrayContaining([P.gy.code, P.as.code]));
  });

  it('only channel managers get regions, only prefectures of the list, only by an admin', async () => {
    const [fin] = await t.db.query(`SELECT id FROM user_account WHERE role = 'finance' LIMIT 1`);
    expect((await admin.put(`/api/admin/users/${fin.id}/regions`, { regionIds: [anshunId] })).status).toBe(422);
    const [county] = await t.db.query(`SELECT id FROM region WHERE name = '西秀区'`);
    expect((await assign([county.id])).status).toBe(422);
    expect((await assign([999999])).status).toBe(422);
    expect((await province.put(`/api/admin/users/${scopedId}/regions`, { regionIds: [anshunId] })).status).toBe(403);
    expect(await t.db.query(`SELECT 1 FROM manager_region WHERE user_id = $1`, [scopedId])).toHaveLength(0);
  });
  it('verification samples follow the scope: list, summary, detail, outcome and drawing', async () => {
    await assign([anshunId]).expect(200);
    const items: Record<'gy' | 'as', number> = { gy: 0, as: 0 };
    for (const k of ['gy', 'as'] as const) {
      const [r] = await t.db.query(`INSERT INTO service_record (partner_id, customer_id, period, record_type, occurred_at, description)
        VALUES ($1, $2, '2026Q2', 'visit', '2026-05-10T02:00:00Z', '区域抽检') RETURNING id`, [P[k].id, C[k].id]);
      const [smp] = await t.db.query(`INSERT INTO verification_sample (period, partner_id, seed, record_count, sample_size, rule_percent, rule_min)
        VALUES ('2026Q2', $1, 'seed', 1, 1, 5, 3) RETURNING id`, [P[k].id]);
      [{ id: items[k] }] = await t.db.query(`INSERT INTO verification_item (sample_id, service_record_id, partner_id, period) VALUES ($1, $2, $3, '2026Q2') RETURNING id`,
        [smp.id, r.id, P[k].id]);
    }
    const listed = ((await scoped.getJson('/api/verification?status=pending').expect(200)).body.rows as { id: number }[]).map((r) => r.id);
    expect(listed).toContain(items.as);
    expect(listed).not.toContain(items.gy);
    const everything = ((await province.getJson('/api/verification?status=pending').expect(200)).body.rows as { id: number }[]).map((r) => r.id);
    expect(everything).toEqual(expect.arrayContaining([items.as, items.gy]));
    expect((await scoped.getJson(`/api/verification/${items.gy}`)).status).toBe(404);
    expect((await scoped.post(`/api/verification/${items.gy}/outcome`, { outcome: 'confirmed', method: 'call_back' })).status).toBe(404);
    expect((await t.db.query(`SELECT status FROM verification_item WHERE id = $1`, [items.gy]))[0].status).toBe('pending');
    expect((await scoped.post('/api/verification/sample', { period: '2026Q2', partnerId: P.gy.id })).status).toBe(404);
    const accuracy = (await scoped.getJson('/api/verification/accuracy?period=2026Q2').expect(200)).body as { partnerId: number }[];
    expect(accuracy.map((a) => a.partnerId)).not.toContain(P.gy.id);
    const page = await scoped.get('/verification?status=pending').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(P.as.code);
    expect(page.text).not.toContain(P.gy.code);
    await assign([]).expect(200);
  });
  it('duty overview and the duties API show the items of the manager\'s regions\' customers only', async () => {
    await assign([anshunId]).expect(200);
    const [tpl] = await t.db.query(`SELECT id FROM duty_template ORDER BY id LIMIT 1`);
    for (const k of ['gy', 'as'] as const) {
      await t.db.query(`INSERT INTO checklist_item (period, customer_id, partner_id, duty_template_id, stage, required_count, due_date)
        VALUES ('2026Q2', $1, $2, $3, 'development', 1, '2026-05-01')`, [C[k].id, P[k].id, tpl.id]);
    }
    const overdue = (await scoped.getJson('/api/duties/overdue').expect(200)).body as { customerId: number }[];
    expect(overdue.map((r) => r.customerId)).toContain(C.as.id);
    expect(overdue.map((r) => r.customerId)).not.toContain(C.gy.id);
    const all = (await province.getJson('/api/duties/overdue').expect(200)).body as { customerId: number }[];
    expect(all.map((r) => r.customerId)).toEqual(expect.arrayContaining([C.as.id, C.gy.id]));
    const completion = (await scoped.getJson('/api/duties/completion?period=2026Q2').expect(200)).body as { partnerId: number }[];
    expect(completion.map((r) => r.partnerId)).toEqual([P.as.id]);
    expect((await scoped.getJson(`/api/duties/completion?period=2026Q2&partnerId=${P.gy.id}`)).status).toBe(404);
    const page = await scoped.get('/duties?period=2026Q2').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(C.as.code);
    expect(page.text).not.toContain(C.gy.code);
    expect(page.text).not.toContain(P.gy.code);
    await assign([]).expect(200);
  });
  it('records API, reports, home panels and the manager\'s charts follow the scope', async () => {
    await assign([anshunId]).expect(200);
    const actor = { id: scopedId, username: 'scoped', displayName: 'scoped', role: 'channel_manager', partnerId: null } as unknown as Actor;
    const everywhere = { ...actor, id: province.user!.id } as Actor;
    // service records (inserted by the verification test): by partner and one by one
    const rec: Record<'gy' | 'as', number> = { gy: 0, as: 0 };
    for (const k of ['gy', 'as'] as const) [{ id: rec[k] }] = await t.db.query(`SELECT id FROM service_record WHERE partner_id = $1 LIMIT 1`, [P[k].id]);
    expect((await scoped.getJson(`/api/records?partnerId=${P.gy.id}`)).status).toBe(404);
    expect((await scoped.getJson(`/api/records?partnerId=${P.as.id}`)).status).toBe(200);
    expect((await scoped.getJson(`/api/records/${rec.gy}`)).status).toBe(404);
    expect((await scoped.getJson(`/api/records/${rec.as}`)).status).toBe(200);
    expect((await province.getJson(`/api/records/${rec.gy}`)).status).toBe(200);
    // a report (duty completion of 2026Q2, items inserted by the duties test) and its export
    for (const format of ['', '&format=csv']) {
      const mine = await scoped.get(`/reports/duties?period=2026Q2${format}`).set('Accept', 'text/html').expect(200);
      expect(mine.text).toContain(P.as.code);
      expect(mine.text).not.toContain(P.gy.code);
      const all = await province.get(`/reports/duties?period=2026Q2${format}`).set('Accept', 'text/html').expect(200);
      expect(all.text).toContain(P.gy.code);
    }
    // home panels: duty alerts, applications, unfinished score sheets
    for (const k of ['gy', 'as'] as const) {
      await t.db.query(`INSERT INTO duty_alert (checklist_item_id, partner_id, customer_id, period, due_date)
        SELECT id, partner_id, customer_id, period, due_date FROM checklist_item WHERE customer_id = $1`, [C[k].id]);
    }
    const dutyPanel = async (a: Actor) => (await t.get(DutiesDashboardSection).sectionFor(a))!.items.map((i) => i.labelParams?.customer).filter(Boolean);
    expect(await dutyPanel(actor)).toEqual([C.as.code]);
    expect((await dutyPanel(everywhere)).sort()).toEqual([C.as.code, C.gy.code].sort());
    // applications (an earlier test applied in both regions): counted in 安顺市 and its counties only
    const [n] = await t.db.query(`SELECT count(*)::int AS everywhere,
        count(*) FILTER (WHERE region IN (SELECT name FROM region WHERE id = $1 OR parent_id = $1))::int AS anshun FROM partner WHERE status = 'applied'`, [anshunId]);
    expect(n.everywhere).toBeGreaterThan(n.anshun);
    const applied = async (a: Actor) => (await t.get(OnboardingDashboard).sectionFor(a))!.items[0].value;
    expect(await applied(actor)).toBe(n.anshun);
    expect(await applied(everywhere)).toBe(n.everywhere);
    const [scheme] = await t.db.query(`SELECT id FROM scoring_scheme ORDER BY id LIMIT 1`);
    await t.db.query(`INSERT INTO scoring_period (period, scheme_id) VALUES ('2026Q2', $1) ON CONFLICT DO NOTHING`, [scheme.id]);
    await t.db.query(`INSERT INTO score_sheet (period, partner_id, scheme_id, status, score_y, submitted_at) VALUES ('2026Q2', $1, $3, 'submitted', 95, now()), ('2026Q2', $2, $3, 'submitted', 70, now())`,
      [P.gy.id, P.as.id, scheme.id]);
    const sheets = async (a: Actor) => (await t.get(ScoringDashboard).sectionFor(a))!.items.find((i) => i.labelParams?.period === '2026Q2')?.labelParams?.count;
    expect(await sheets(actor)).toBe(1);
    expect(await sheets(everywhere)).toBe(2);
    const ranking = async (a: Actor) => (await t.get(ManagerDashboard).sectionFor(a, { period: '2026Q2', t: (k: string) => k } as never))![1].table!.rows.map((r) => r.cells[0]);
    expect(await ranking(actor)).toEqual([`${P.as.code} ${P.as.name}`]);
    expect(await ranking(everywhere)).toEqual([`${P.gy.code} ${P.gy.name}`, `${P.as.code} ${P.as.name}`]);
    await assign([]).expect(200);
  });
});
