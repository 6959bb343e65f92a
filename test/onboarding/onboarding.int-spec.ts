import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { TierReviewService } from '../../src/modules/onboarding/tier-review.service';
import { TierScoreSource } from '../../src/modules/onboarding/tier-score-source';
import ExcelJS from 'exceljs';
import { createTestApp, Session, TestApp, testCreditCode } from '../support/test-app';

const application = (n: number, over: Record<string, string> = {}) => ({
  name: `黔南申请公司 ${n}`, creditCode: testCreditCode(50_000 + n), contactName: '杨磊', contactPhone: '0854-8123456', contactEmail: `apply${n}@example.cn`,
  region: '都匀市', cooperationType: 'sales_and_service', qualifications: 'ISO 9001; 8 service engineers', documentNames: '营业执照.pdf\n资质证书.pdf',
  intendedRegions: '都匀市, 福泉市', ...over,
});

describe('onboarding: application, review, approval', () => {
  let t: TestApp;
  let manager: Session;
  let admin: Session;
  let criteria: { id: number; maxPoints: number }[];

  beforeAll(async () => {
    t = await createTestApp();
    manager = await t.loginAs('channel_manager');
    admin = await t.loginAs('admin');
    criteria = (await manager.getJson('/api/onboarding/criteria').expect(200)).body;
  });
  afterAll(() => t?.close());

  const full = (points: number[]) => Object.fromEntries(criteria.map((c, i) => [String(c.id), points[i]]));

  describe('public application form', () => {
    it('accepts an application without an account and creates an applied partner', async () => {
      const s = await t.anonymousWithCsrf();
      expect((await s.get('/apply')).status).toBe(200);
      const res = await s.postForm('/apply', application(1));
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/apply\/thanks\?ref=QN-P-\d{5}$/);
      const [row] = await t.db.query(`SELECT p.status, p.code, a.channel, a.document_names FROM partner p JOIN onboarding_application a ON a.partner_id = p.id WHERE p.credit_code = $1`, [testCreditCode(50_001)]);
      expect(row).toMatchObject({ status: 'applied', channel: 'public', document_names: ['营业执照.pdf', '资质证书.pdf'] });
    });

    it('refuses a post without the CSRF token', async () => {
      const res = await t.anonymous().agent.post('/apply').type('form').send(application(2));
      expect(res.status).toBe(403);
    });

    it('refuses a credit code with a wrong check character, naming the field', async () => {
      const s = await t.anonymousWithCsrf();
      const bad = testCreditCode(50_003).slice(0, 17) + (testCreditCode(50_003).endsWith('0') ? '1' : '0');
      const res = await s.post('/api/onboarding/apply', application(3, { creditCode: bad }));
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toMatchObject({ field: 'creditCode' });
      expect(res.body.message).toMatch(/check character is wrong/);
    });

    it('answers a public duplicate exactly like a new application and tells the staff instead (no anonymous lookup)', async () => {
      const s = await t.anonymousWithCsrf();
      const first = await s.post('/api/onboarding/apply', application(4)).expect(201);
      const partners = async () => (await t.db.query(`SELECT count(*)::int AS n FROM partner`))[0].n as number;
      const before = await partners();
      const byCode = await s.post('/api/onboarding/apply', application(5, { creditCode: testCreditCode(50_004) }));
      const byName = await s.post('/api/onboarding/apply', application(6, { name: '黔南申请公司 4'.toUpperCase() }));
      for (const res of [byCode, byName]) {
        expect(res.status).toBe(201);
        expect(Object.keys(res.body).sort()).toEqual(Object.keys(first.body).sort());
        expect(res.body).toEqual({ reference: expect.stringMatching(/^QN-P-\d{5}$/), status: 'received' });
        expect(res.body.reference).not.toBe(first.body.reference);
        expect(JSON.stringify(res.body)).not.toContain('applied');
      }
      expect(await partners()).toBe(before);
      // the form: the same thanks page, nothing about the registered organisation
      const form = await s.postForm('/apply', application(7, { creditCode: testCreditCode(50_004) }));
      expect(form.status).toBe(303);
      expect(form.headers.location).toMatch(/^\/apply\/thanks\?ref=QN-P-\d{5}$/);
      expect(form.headers.location).not.toContain(first.body.reference);
      // the staff find the attempts, with their references and contact details, on the registered partner
      const [p] = await t.db.query(`SELECT id FROM partner WHERE code = $1`, [first.body.reference]);
      const attempts = await t.db.query(`SELECT after FROM audit_log WHERE action = 'application.duplicateAttempt' AND partner_id = $1 ORDER BY id`, [p.id]);
      expect(attempts.map((a: { after: { reference: string; matchedBy: string } }) => [a.after.reference, a.after.matchedBy]))
        .toEqual([[byCode.body.reference, 'creditCode'], [byName.body.reference, 'name'], [form.headers.location.split('=')[1], 'creditCode']]);
      // a channel manager entering the same organisation is told which partner it is
      const dup = await manager.post('/api/onboarding/applications', application(8, { creditCode: testCreditCode(50_004) }));
      expect(dup.status).toBe(409);
      expect(dup.body.errors).toEqual([{ field: 'creditCode', message: expect.stringMatching(/credit code .* is already registered \(QN-P-\d+, applied\)/) }]);
    });

    it('validates the fields of the form', async () => {
      const s = await t.anonymousWithCsrf();
      const res = await s.post('/api/onboarding/apply', application(8, { contactEmail: 'nope', cooperationType: 'resale' }));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['contactEmail', 'cooperationType']);
    });
  });

  describe('review and decision', () => {
    let appId: number;
    let partnerId: number;

    beforeAll(async () => {
      const res = await manager.post('/api/onboarding/applications', application(20, { region: '贵阳市' })).expect(201);
      appId = res.body.applicationId;
      partnerId = res.body.partnerId;
      expect(res.body.reference).toMatch(/^GY-P-\d{5}$/);
    });

    it('starts the review with the first scorecard save (applied → under review) and keeps a partial card as draft', async () => {
      const res = await manager.post(`/api/onboarding/applications/${appId}/review`, { scores: { [criteria[0].id]: 8 }, comments: 'first look' }).expect(201);
      expect(res.body.total).toBeNull();
      const [p] = await t.db.query(`SELECT status FROM partner WHERE id = $1`, [partnerId]);
      expect(p.status).toBe('under_review');
      const [audit] = await t.db.query(`SELECT reason FROM audit_log WHERE partner_id = $1 AND action = 'partner.status.under_review'`, [partnerId]);
      expect(audit.reason).toBe('开始引入评审');
    });

    it('refuses a decision before every criterion is scored', async () => {
      const res = await manager.post(`/api/onboarding/applications/${appId}/decide`, { decision: 'approved', reason: 'good', tier: 'B' });
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(/Score every criterion/);
    });

    it('refuses points above the maximum', async () => {
      const res = await manager.post(`/api/onboarding/applications/${appId}/review`, { scores: full([criteria[0].maxPoints + 1, 1, 1, 1]) });
      expect(res.status).toBe(422);
    });

    it('computes the total and suggests from the pass mark', async () => {
      const res = await manager.post(`/api/onboarding/applications/${appId}/review`, { scores: full([9, 8, 7, 6]), comments: 'solid team' }).expect(201);
      // default criteria 30/30/20/20 of 10 points each: 27 + 24 + 14 + 12
      expect(res.body).toMatchObject({ total: '77.00', suggestedDecision: 'approve', passMark: '70.00' });
      const page = await manager.get(`/onboarding/applications/${appId}`).expect(200);
      expect(page.text).toContain('77.00');
    });

    it('needs a reason and a tier to approve', async () => {
      expect((await manager.post(`/api/onboarding/applications/${appId}/decide`, { decision: 'approved', tier: 'B' })).status).toBe(400);
      const noTier = await manager.post(`/api/onboarding/applications/${appId}/decide`, { decision: 'approved', reason: 'good' });
      expect(noTier.status).toBe(422);
      expect(noTier.body.message).toMatch(/tier/);
    });

    it('approves: tier set, certification issued, then logins and activation after the contract date', async () => {
      const res = await manager.post(`/api/onboarding/applications/${appId}/decide`, { decision: 'approved', reason: 'above pass mark', tier: 'B' }).expect(201);
      expect(res.body).toMatchObject({ status: 'approved', tier: 'B', certificationId: expect.stringMatching(/^CERT-\d{4}-\d{6}$/) });
      const [change] = await t.db.query(`SELECT to_tier, source FROM partner_tier_change WHERE partner_id = $1`, [partnerId]);
      expect(change).toEqual({ to_tier: 'B', source: 'approval' });
      expect((await manager.post(`/api/onboarding/applications/${appId}/review`, { scores: full([1, 1, 1, 1]) })).status).toBe(422);

      await manager.post(`/api/partners/${partnerId}/users`, { username: 'gy.new', email: 'gy.new@example.cn' }).expect(201);
      await t.acceptInvitation('gy.new', 'river-lantern-Quartz-81');
      const future = await manager.post(`/api/onboarding/applications/${appId}/activate`, { contractSignedOn: '2999-01-01' });
      expect(future.status).toBe(422);
      const ok = await manager.post(`/api/onboarding/applications/${appId}/activate`, { contractSignedOn: '2026-11-01' }).expect(201);
      expect(ok.body).toMatchObject({ status: 'active', contractSignedOn: '2026-11-01' });
      const me = await t.login('gy.new', 'river-lantern-Quartz-81');
      expect((await me.get(`/partners/${partnerId}/certificate`)).text).toContain(res.body.certificationId);
    });

    it('rejects with a reason and keeps the scorecard visible', async () => {
      const { body } = await manager.post('/api/onboarding/applications', application(21)).expect(201);
      await manager.postForm(`/onboarding/applications/${body.applicationId}/review`, { [`scores[c${criteria[0].id}]`]: 3, [`scores[c${criteria[1].id}]`]: 4, [`scores[c${criteria[2].id}]`]: 5, [`scores[c${criteria[3].id}]`]: 2, comments: 'weak' }).expect(303);
      await manager.postForm(`/onboarding/applications/${body.applicationId}/decide`, { decision: 'rejected', reason: 'no service staff', tier: '' }).expect(303);
      const [p] = await t.db.query(`SELECT status, certification_id FROM partner WHERE id = $1`, [body.partnerId]);
      expect(p).toEqual({ status: 'rejected', certification_id: null });
      const list = await manager.get('/onboarding/applications?status=rejected').expect(200);
      expect(list.text).toContain(body.reference);
      const page = await manager.get(`/onboarding/applications/${body.applicationId}`).expect(200);
      expect(page.text).toContain('35.00'); // 9 + 12 + 10 + 4
      expect(page.text).toContain('no service staff');
    });
  });

  it('shows the manager entry form and the home panels', async () => {
    expect((await manager.get('/onboarding/applications/new')).text).toContain('action="/onboarding/applications"');
    const home = await manager.get('/').expect(200);
    expect(home.text).toContain('Onboarding');
    expect(home.text).toMatch(/href="\/onboarding\/applications\?status(=|&#x3D;)applied"/);
    const p = await t.createPartner({ tier: 'A' });
    const partnerHome = await (await t.loginAs('partner', { partnerId: p.id })).get('/').expect(200);
    expect(partnerHome.text).toContain('My organisation');
    expect(partnerHome.text).toContain('200 / 4 h');
  });

  describe('admin configuration', () => {
    it('refuses criteria whose weights do not add up to 100', async () => {
      const current = (await admin.getJson('/api/onboarding/criteria')).body;
      const bad = current.map((c: { id: number; name: string; weight: number; maxPoints: number }, i: number) => ({ id: c.id, name: c.name, weight: i === 0 ? c.weight + 5 : c.weight, maxPoints: c.maxPoints, active: true }));
      const res = await admin.put('/api/onboarding/criteria', { criteria: bad });
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(/add up to 100 \(they add up to 105\)/);
      expect((await manager.put('/api/onboarding/criteria', { criteria: bad })).status).toBe(403);
    });

    it('saves criteria from the settings form, including a new one, when the weights add up', async () => {
      const page = await admin.get('/onboarding/settings').expect(200);
      expect(page.text).toContain('now 100');
      const cur = (await admin.getJson('/api/onboarding/criteria')).body as { id: number; name: string; maxPoints: number }[];
      const form: Record<string, string | number> = {};
      cur.forEach((c, i) => Object.assign(form, { [`criteria[${i}][id]`]: c.id, [`criteria[${i}][name]`]: c.name, [`criteria[${i}][weight]`]: i === 0 ? 20 : [30, 20, 20][i - 1], [`criteria[${i}][maxPoints]`]: c.maxPoints, [`criteria[${i}][active]`]: 'on', [`criteria[${i}][sort]`]: i + 1 }));
      Object.assign(form, { 'criteria[4][name]': 'Complaint handling', 'criteria[4][weight]': 10, 'criteria[4][maxPoints]': 5, 'criteria[4][active]': 'on', 'criteria[4][sort]': 5 });
      await admin.postForm('/onboarding/settings/criteria', form).expect(303);
      const after = (await admin.getJson('/api/onboarding/criteria')).body;
      expect(after.map((c: { weight: number }) => c.weight)).toEqual([20, 30, 20, 20, 10]);
      expect(after[4]).toMatchObject({ name: 'Complaint handling', maxPoints: 5, active: true });
    });

    it('saves the pass mark and tier thresholds and refuses nonsense', async () => {
      await admin.put('/api/onboarding/settings', { passMark: '75', tierAMin: '88', tierBMin: '70' }).expect(200);
      expect((await admin.getJson('/api/onboarding/settings')).body).toEqual({ passMark: '75.00', thresholds: { a: '88.00', b: '70.00' } });
      expect((await admin.put('/api/onboarding/settings', { passMark: '75', tierAMin: '70', tierBMin: '80' })).status).toBe(422);
      await admin.put('/api/onboarding/settings', { passMark: '70', tierAMin: '90', tierBMin: '75' }).expect(200);
    });
  });

  describe('tier re-evaluation', () => {
    it('proposes from the last four scores; a manager accepts or overrides with a reason', async () => {
      const high = await t.createPartner({ tier: 'B' });
      const low = await t.createPartner({ tier: 'A' });
      const same = await t.createPartner({ tier: 'B' });
      const scores: Record<number, string[]> = { [high.id]: ['95', '91', '90', '88', '10'], [low.id]: ['70', '72', '74', '80'], [same.id]: ['80', '80'] };
      const fixture: TierScoreSource = {
        lastConfirmedScores: async (id: number, n: number) => (scores[id] ?? []).slice(0, n).map((scoreY, i) => ({ period: `2026Q${4 - i}`, scoreY })),
      };
      const run = await t.get(TierReviewService).propose(SYSTEM_ACTOR, { source: fixture });
      expect(run).toMatchObject({ proposed: 2, unchanged: 1 });
      const pending = (await manager.getJson('/api/onboarding/tier-proposals').expect(200)).body as { id: number; partnerId: number; proposedTier: string; averageScore: string }[];
      const forHigh = pending.find((p) => p.partnerId === high.id)!;
      const forLow = pending.find((p) => p.partnerId === low.id)!;
      expect(forHigh).toMatchObject({ proposedTier: 'A', averageScore: '91.00' });
      expect(forLow).toMatchObject({ proposedTier: 'C', averageScore: '74.00' });

      await manager.post(`/api/onboarding/tier-proposals/${forHigh.id}/accept`, {}).expect(201);
      expect((await manager.post(`/api/onboarding/tier-proposals/${forLow.id}/override`, { tier: 'B' })).status).toBe(400);
      await manager.post(`/api/onboarding/tier-proposals/${forLow.id}/override`, { tier: 'B', reason: 'new service centre opened' }).expect(201);
      expect((await manager.post(`/api/onboarding/tier-proposals/${forHigh.id}/accept`, {})).status).toBe(422);

      const tiers = await t.db.query(`SELECT id, tier FROM partner WHERE id = ANY($1::int[]) ORDER BY id`, [[high.id, low.id]]);
      expect(tiers.map((r: { tier: string }) => r.tier)).toEqual(['A', 'B']);
      const changes = await t.db.query(`SELECT partner_id, from_tier, to_tier, source, proposed_tier, reason FROM partner_tier_change WHERE partner_id = ANY($1::int[]) ORDER BY id`, [[high.id, low.id]]);
      expect(changes).toEqual([
        { partner_id: high.id, from_tier: 'B', to_tier: 'A', source: 'accepted', proposed_tier: 'A', reason: '采纳等级复评建议' },
        { partner_id: low.id, from_tier: 'A', to_tier: 'B', source: 'overridden', proposed_tier: 'C', reason: 'new service centre opened' },
      ]);
      const [audit] = await t.db.query(`SELECT reason FROM audit_log WHERE partner_id = $1 AND action = 'tier-proposal.overridden'`, [low.id]);
      expect(audit.reason).toBe('new service centre opened');
      expect((await manager.get('/onboarding/tiers')).text).toContain('new service centre opened');
    });
  });

  describe('regions', () => {
    it('maps region spellings to the list (and the code prefix from it), refuses unknown regions with the list', async () => {
      const s = await t.anonymousWithCsrf();
      const res = await s.post('/api/onboarding/apply', application(30, { region: 'Anshun', intendedRegions: '安顺, Guiyang' })).expect(201);
      expect(res.body.reference).toMatch(/^AS-P-\d{5}$/);
      const [row] = await t.db.query(`SELECT p.region, a.intended_regions FROM partner p JOIN onboarding_application a ON a.partner_id = p.id WHERE p.code = $1`, [res.body.reference]);
      expect(row).toEqual({ region: '安顺市', intended_regions: '安顺市、贵阳市' });
      const lps = await s.post('/api/onboarding/apply', application(31, { region: '盘州市' })).expect(201);
      expect(lps.body.reference).toMatch(/^LPS-P-\d{5}$/);
      const bad = await s.post('/api/onboarding/apply', application(32, { region: 'Atlantis' }));
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0]).toMatchObject({ field: 'region' });
      expect(bad.body.message).toContain('贵阳市、遵义市');
    });
  });

  describe('in Chinese (zh-CN)', () => {
    let zh: Session;
    beforeAll(async () => {
      const u = await t.createUser('channel_manager');
      zh = await t.login(u.username, u.password, 'zh-CN');
    });

    it('renders the public form with labels, required marks and the region select', async () => {
      const s = await t.anonymousWithCsrf('zh-CN');
      const page = await s.get('/apply').expect(200);
      expect(page.text).toContain('<h1>申请成为合作伙伴</h1>');
      expect(page.text).toMatch(/<label for="ap-name" class="wide">单位全称 <abbr class="req" title="必填">\*<\/abbr><\/label>/);
      expect(page.text).toContain('<option value="sales_and_service" >销售与服务型</option>');
      expect(page.text).toMatch(/<optgroup label="黔南州"><option value="黔南州" >黔南州<\/option><option value="都匀市" >都匀市<\/option>/);
      expect(page.text).toContain('name="intendedRegions" multiple');
    });

    it('sends a refused application back with what was typed and each message beside its field', async () => {
      const s = await t.anonymousWithCsrf('zh-CN');
      const bad = testCreditCode(50_040).slice(0, 17) + (testCreditCode(50_040).endsWith('0') ? '1' : '0');
      const res = await s.postForm('/apply', { ...application(40, { creditCode: bad, contactEmail: 'nope', intendedRegions: '' }), name: '贵州黔通信息技术有限公司', contactName: '王磊' })
        .set('Host', 'portal.test').set('Referer', 'http://portal.test/apply');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/apply');
      const page = await s.get(res.headers.location).expect(200);
      expect(page.text).toContain('value="贵州黔通信息技术有限公司"');
      expect(page.text).toContain('value="王磊"');
      expect(page.text).toMatch(/<input id="ap-email" name="contactEmail" type="email" value="nope"[^>]*aria-invalid="true"/);
      expect(page.text).toMatch(/<span class="field-error" id="err-contactEmail" role="alert">请填写有效的联系邮箱<\/span>/);
      expect(page.text).toContain('<option value="都匀市" selected>都匀市</option>');
      // the credit code is checked after the field validation passes
      const res2 = await s.postForm('/apply', { ...application(41, { creditCode: bad, intendedRegions: '' }) }).set('Host', 'portal.test').set('Referer', 'http://portal.test/apply');
      expect(res2.status).toBe(303);
      const page2 = await s.get('/apply').expect(200);
      expect(page2.text).toMatch(/<span class="field-error" id="err-creditCode" role="alert">校验位不正确：应为 \w，实为 \w（是否输错？）<\/span>/);
      expect(page2.text).toContain(`value="${bad}"`);
    });

    it('renders the applications list, the scorecard and the settings in Chinese, sortable and paged', async () => {
      const { body } = await manager.post('/api/onboarding/applications', application(50, { region: '遵义市', cooperationType: 'service' })).expect(201);
      const list = await zh.get('/onboarding/applications?sort=code&dir=desc&region=遵义市').expect(200);
      expect(list.text).toContain('<h1>合作申请</h1>');
      expect(list.text).toContain(body.reference);
      expect(list.text).toContain('服务型');
      expect(list.text).toContain('渠道经理录入');
      expect(list.text).toContain('已申请');
      expect(list.text).toMatch(/aria-sort="descending"><a [^>]*>申请编号 ▼<\/a>/);
      expect(list.text).not.toContain('QN-P-');
      expect((await zh.get('/onboarding/applications?sort=nope&page=x&status=lost')).status).toBe(200);
      const review = await zh.get(`/onboarding/applications/${body.applicationId}`).expect(200);
      expect(review.text).toContain('评审评分表');
      expect(review.text).toContain('都匀市、福泉市');
      expect(review.text).toContain('保存评分表');
      const settings = await (await t.login((await t.createUser('admin')).username, undefined, 'zh-CN')).get('/onboarding/settings').expect(200);
      expect(settings.text).toContain('合作引入设置');
      expect(settings.text).toContain('等级支持政策');
      const tiers = await zh.get('/onboarding/tiers').expect(200);
      expect(tiers.text).toContain('等级复评');
      const home = await zh.get('/').expect(200);
      expect(home.text).toContain('合作引入');
      expect(home.text).toContain('新提交的申请');
    });

    it('exports the applications list to Excel with Chinese headers', async () => {
      const res = await zh.agent.get('/onboarding/applications?status=applied&format=xlsx').buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      const rows: unknown[][] = [];
      wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const header = rows.findIndex((r) => r[0] === '提交日期');
      expect(rows[header]).toEqual(['提交日期', '申请编号', '申请单位', '合作类型', '地区', '拟服务地区', '申请渠道', '状态', '评审得分', '系统建议']);
      expect(rows.slice(header + 1).length).toBeGreaterThan(0);
      expect(rows.slice(header + 1).every((r) => r[7] === '已申请')).toBe(true);
    });
  });
});
