import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { RuleViolation } from '../../src/core/web/errors';
import { PartnerDirectoryService } from '../../src/modules/partners/partner-directory.service';
import { PartnersService } from '../../src/modules/partners/partners.service';
import ExcelJS from 'exceljs';
import { createTestApp, Session, TestApp, testCreditCode } from '../support/test-app';

describe('partners: register, access, list', () => {
  let t: TestApp;
  let a: { id: number; code: string };
  let b: { id: number; code: string };
  let partnerA: Session;
  let finance: Session;
  let manager: Session;

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.createPartner({ code: 'AA-P-00001', bankAccountNo: '6222020000009876' });
    b = await t.createPartner({ code: 'BB-P-00002', bankAccountNo: '6222020000005555' });
    partnerA = await t.loginAs('partner', { partnerId: a.id });
    finance = await t.loginAs('finance');
    manager = await t.loginAs('channel_manager');
  });
  afterAll(() => t?.close());

  describe('status transitions through the service', () => {
    it('writes the history row and the audit entry in the same transaction', async () => {
      const p = await t.createPartner();
      const svc = t.get(PartnersService);
      await svc.transition(SYSTEM_ACTOR, p.id, 'suspended', { reason: 'late service records' });
      const [hist] = await t.db.query(`SELECT from_status, to_status, reason FROM partner_status_history WHERE partner_id = $1 ORDER BY id DESC LIMIT 1`, [p.id]);
      expect(hist).toEqual({ from_status: 'active', to_status: 'suspended', reason: 'late service records' });
      const [audit] = await t.db.query(`SELECT action, before, after, reason FROM audit_log WHERE partner_id = $1 AND action LIKE 'partner.status.%'`, [p.id]);
      expect(audit).toEqual({ action: 'partner.status.suspended', before: { status: 'active' }, after: { status: 'suspended' }, reason: 'late service records' });
    });

    it('refuses an illegal transition and writes nothing', async () => {
      const p = await t.createPartner();
      await expect(t.get(PartnersService).transition(SYSTEM_ACTOR, p.id, 'approved', { reason: 'x' })).rejects.toThrow(RuleViolation);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE partner_id = $1`, [p.id]);
      expect(n).toBe(0);
      expect((await t.get(PartnersService).getById(p.id)).status).toBe('active');
    });

    it('suspends and reactivates from the page with a reason', async () => {
      const p = await t.createPartner();
      expect((await manager.post(`/api/partners/${p.id}/suspend`, {})).status).toBe(400);
      await manager.postForm(`/partners/${p.id}/suspend`, { reason: 'complaint under investigation' }).expect(303);
      expect((await t.get(PartnersService).getById(p.id)).status).toBe('suspended');
      const res = await manager.post(`/api/partners/${p.id}/reactivate`, { reason: 'rectified' });
      expect(res.body).toEqual({ id: p.id, status: 'active' });
      expect((await manager.post(`/api/partners/${p.id}/reactivate`, { reason: 'again' })).status).toBe(422);
      expect((await finance.post(`/api/partners/${p.id}/suspend`, { reason: 'x' })).status).toBe(403);
    });
  });

  describe('who sees what', () => {
    it('answers 404 to a partner user for another partner, on the page and the API', async () => {
      expect((await partnerA.get(`/partners/${b.id}`)).status).toBe(404);
      expect((await partnerA.getJson(`/api/partners/${b.id}`)).status).toBe(404);
      expect((await partnerA.getJson(`/api/partners/${b.id}/history`)).status).toBe(404);
      expect((await partnerA.get(`/partners/${b.id}/certificate`)).status).toBe(404);
      const page = await partnerA.get(`/partners/${b.id}`);
      // nothing of B on the page (its account tail could also occur by chance inside the random CSRF token, so drop that)
      const visible = page.text.replace(/name="_csrf" value="[0-9a-f]+"/g, '');
      expect(visible).not.toContain('5555');
      expect(visible).not.toContain(b.code);
    });

    it('shows a partner user its own page with its own account in full (issue #14 masking rule), and redirects /my/partner there', async () => {
      const redirect = await partnerA.get('/my/partner');
      expect(redirect.status).toBe(303);
      expect(redirect.headers.location).toBe(`/partners/${a.id}`);
      const page = await partnerA.get(`/partners/${a.id}`).expect(200);
      expect(page.text).toContain('6222020000009876');
      const api = await partnerA.getJson(`/api/partners/${a.id}`).expect(200);
      expect(api.body.bankAccountNo).toBe('6222020000009876');
      expect(api.body.bankAccountMasked).toBe(false);
    });

    it('shows the full account to finance and the partner itself only', async () => {
      expect((await finance.getJson(`/api/partners/${a.id}`)).body.bankAccountNo).toBe('6222020000009876');
      expect((await finance.get(`/partners/${a.id}`)).text).toContain('6222020000009876');
      expect((await manager.getJson(`/api/partners/${a.id}`)).body.bankAccountNo).toBe('************9876');
      const admin = await t.loginAs('admin');
      expect((await admin.get(`/partners/${a.id}`)).text).not.toContain('6222020000009876');
    });

    it('keeps the partner list from partner users', async () => {
      expect((await partnerA.getJson('/api/partners')).status).toBe(403);
      expect((await partnerA.get('/my/partner')).status).toBe(303);
      expect((await manager.getJson('/my/partner')).status).toBe(403);
    });

    it('prints the certificate for the partner itself', async () => {
      const page = await partnerA.get(`/partners/${a.id}/certificate`).expect(200);
      expect(page.text).toMatch(/Certification no\. CERT-T-/);
    });
  });

  describe('timeline, tier policy and logins', () => {
    it('lists status changes, tier changes and audit entries on the timeline', async () => {
      const p = await t.createPartner({ tier: 'C' });
      const svc = t.get(PartnersService);
      await t.db.transaction((m) => svc.setTier(SYSTEM_ACTOR, p.id, 'B', { source: 'manual', reason: 'better coverage' }, m));
      await svc.transition(SYSTEM_ACTOR, p.id, 'suspended', { reason: 'audit finding' });
      const timeline = await t.get(PartnerDirectoryService).timeline(SYSTEM_ACTOR, p.id);
      expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['status', 'tier']));
      expect(timeline.find((e) => e.kind === 'tier')).toMatchObject({ label: 'partners:timeline.tier', labelParams: { from: 'C', to: 'B', source: 'partners:tierSource.manual' }, reason: 'better coverage' });
      const api = await manager.getJson(`/api/partners/${p.id}/history`).expect(200);
      expect(api.body.map((e: { label: string }) => e.label)).toContain('tier C → B (manual)');
      const page = await manager.get(`/partners/${p.id}`);
      expect(page.text).toContain('status active → suspended');
      expect(page.text).toContain('audit finding');
    });

    it('answers the tier policy contract from the configurable table', async () => {
      await expect(t.get(PartnersService).tierPolicy('A')).resolves.toEqual({ tier: 'A', customerQuota: 200, supportResponseHours: 4 });
      await expect(t.get(PartnersService).tierPolicy('C')).resolves.toEqual({ tier: 'C', customerQuota: 50, supportResponseHours: 24 });
      const admin = await t.loginAs('admin');
      await admin.put('/api/onboarding/tier-policy', { policies: [{ tier: 'C', customerQuota: 60, supportResponseHours: 12 }] }).expect(200);
      await expect(t.get(PartnersService).tierPolicy('C')).resolves.toEqual({ tier: 'C', customerQuota: 60, supportResponseHours: 12 });
      expect((await admin.put('/api/onboarding/tier-policy', { policies: [{ tier: 'C', customerQuota: -1, supportResponseHours: 12 }] })).status).toBe(400);
    });

    it('creates partner logins bound to the partner', async () => {
      // an invitation: the manager never chooses the password; the person sets it through the mailed link
      const res = await manager.post(`/api/partners/${a.id}/users`, { username: 'aa.sales', email: 'aa.sales@example.cn', displayName: 'AA sales' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ username: 'aa.sales', role: 'partner', partnerId: a.id, invited: true });
      await t.acceptInvitation('aa.sales', 'river-lantern-Quartz-81');
      const s = await t.login('aa.sales', 'river-lantern-Quartz-81');
      expect((await s.get(`/partners/${b.id}`)).status).toBe(404);
      const applied = await t.createPartner({ status: 'applied', tier: null, certificationId: null });
      expect((await manager.post(`/api/partners/${applied.id}/users`, { username: 'early.bird', email: 'early.bird@example.cn' })).status).toBe(422);
    });
  });

  describe('list filters and pagination', () => {
    beforeAll(async () => {
      // 130 more partners spread over statuses, tiers, types and regions
      const statuses = ['active', 'suspended', 'applied', 'approved', 'rejected'];
      const types = ['sales', 'service', 'sales_and_service'];
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = 0; i < 130; i++) {
        const tier = ['applied', 'rejected'].includes(statuses[i % 5]) ? null : ['A', 'B', 'C'][i % 3];
        params.push(`LP-P-${String(i + 100).padStart(5, '0')}`, `列表伙伴 ${i} ${i % 10 === 0 ? '50%折扣' : ''}`, testCreditCode(10_000 + i), statuses[i % 5], tier, types[Math.floor(i / 3) % 3], i % 2 ? 'Zunyi' : 'Anshun');
        const o = params.length - 7;
        values.push(`($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7})`);
      }
      await t.db.query(`INSERT INTO partner (code, name, credit_code, status, tier, cooperation_type, region) VALUES ${values.join(',')}`, params);
    });

    it('filters by status, tier, type and region exactly like SQL does', async () => {
      const res = await manager.getJson('/api/partners?status=active&tier=B&type=sales&region=Zunyi&limit=200').expect(200);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM partner WHERE status = 'active' AND tier = 'B' AND cooperation_type = 'sales' AND region = 'Zunyi'`);
      expect(res.body.total).toBe(n);
      expect(res.body.items.length).toBe(n);
      expect(n).toBeGreaterThan(0);
      for (const p of res.body.items) expect(p).toMatchObject({ status: 'active', tier: 'B', cooperationType: 'sales', region: 'Zunyi' });
    });

    it('searches code prefix, credit code prefix and part of the name, with wildcards taken literally', async () => {
      expect((await manager.getJson('/api/partners?q=lp-p-0010')).body.items.map((p: { code: string }) => p.code)).toEqual(
        Array.from({ length: 10 }, (_, i) => `LP-P-0010${i}`));
      expect((await manager.getJson(`/api/partners?q=${testCreditCode(10_005)}`)).body.items.map((p: { code: string }) => p.code)).toEqual(['LP-P-00105']);
      expect((await manager.getJson(`/api/partners?q=${encodeURIComponent('伙伴 12')}`)).body.total).toBe(1 + 10); // 12, 120..129
      expect((await manager.getJson(`/api/partners?q=${encodeURIComponent('50%')}`)).body.total).toBe(13);
      expect((await manager.getJson(`/api/partners?q=${encodeURIComponent('_')}`)).body.total).toBe(0);
    });

    it('walks every page forward and back without gaps or repeats', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const res: { body: { items: { code: string }[]; nextAfter: string | null; total: number } } = await manager.getJson(`/api/partners?region=Zunyi&limit=20${after ? `&after=${after}` : ''}`);
        seen.push(...res.body.items.map((p) => p.code));
        after = res.body.nextAfter;
        pages++;
      } while (after && pages < 20);
      const all = (await t.db.query(`SELECT code FROM partner WHERE region = 'Zunyi' ORDER BY code`)).map((r: { code: string }) => r.code);
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / 20));
      const back = await manager.getJson(`/api/partners?region=Zunyi&limit=20&before=${all[45]}`);
      expect(back.body.items.map((p: { code: string }) => p.code)).toEqual(all.slice(25, 45));
      expect(back.body.prevBefore).toBe(all[25]);
      expect(back.body.nextAfter).toBe(all[44]);
    });

    it('renders the list page with filters and a next link', async () => {
      const page = await manager.get('/partners?status=active').expect(200);
      expect(page.text).toContain('LP-P-00100');
      expect(page.text).not.toContain('LP-P-00102'); // applied
      expect(page.text).toMatch(/partner\(s\)/);
      const first = await finance.get('/partners').expect(200);
      expect(first.text).toMatch(/href="\/partners\?page(=|&#x3D;)2"/);
    });

    it('ignores unknown or malformed filter, sort and page values', async () => {
      const all = (await manager.getJson('/api/partners?limit=1').expect(200)).body.total;
      expect((await manager.getJson('/api/partners?status=lost&limit=1').expect(200)).body.total).toBe(all);
      for (const q of ['status=lost', 'sort=p.code%3Bdrop', 'page=-3', 'page=abc', 'dir=sideways', 'tier[]=A', 'region=Atlantis']) {
        expect((await manager.get(`/partners?${q}`)).status).toBe(200);
      }
    });

    it('sorts by column, pages with numbers and a total, and exports the same list to Excel with Chinese headers', async () => {
      const page2 = await manager.get('/partners?sort=name&dir=desc&page=2').expect(200);
      const names = (await t.db.query(`SELECT code FROM partner ORDER BY lower(name) DESC, code DESC`)).map((r: { code: string }) => r.code);
      expect(page2.text).toContain(`>${names[50]}<`);
      expect(page2.text).not.toContain(`>${names[49]}<`);
      expect(page2.text).toMatch(/aria-current="page">2</);
      expect(page2.text).toContain(`51–${Math.min(100, names.length)} of ${names.length}`);
      expect(page2.text).toMatch(/aria-sort="descending"/);

      const u = await t.createUser('channel_manager');
      const zh = await t.login(u.username, u.password, 'zh-CN');
      const res = await zh.agent.get('/partners?status=active&sort=code&format=xlsx').buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      const ws = wb.worksheets[0];
      const rows: unknown[][] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const header = rows.findIndex((r) => r[0] === '合作伙伴编码');
      expect(rows[header]).toEqual(['合作伙伴编码', '名称', '统一社会信用代码', '地区', '合作类型', '等级', '状态', '认证编号']);
      expect(rows[0][0]).toBe('合作伙伴');
      expect(rows.some((r) => r[0] === '状态' && r[1] === '合作中')).toBe(true);
      const data = rows.slice(header + 1);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM partner WHERE status = 'active'`);
      expect(data).toHaveLength(n);
      expect(data.every((r) => r[6] === '合作中')).toBe(true);
      expect(data.map((r) => r[0])).toEqual([...data.map((r) => r[0])].sort());
    });
  });

  describe('in Chinese (zh-CN)', () => {
    let zhManager: Session;
    beforeAll(async () => {
      const u = await t.createUser('channel_manager');
      zhManager = await t.login(u.username, u.password, 'zh-CN');
    });

    it('renders the list with Chinese headings, statuses, types and region select', async () => {
      const page = await zhManager.get('/partners?status=active').expect(200);
      expect(page.text).toContain('<h1>合作伙伴</h1>');
      expect(page.text).toContain('合作伙伴编码');
      expect(page.text).toContain('统一社会信用代码');
      expect(page.text).toContain('合作中');
      expect(page.text).toContain('销售与服务型');
      expect(page.text).toMatch(/<optgroup label="遵义市"><option value="遵义市"[^>]*>遵义市（全市\/州）<\/option><option value="红花岗区"/);
      expect(page.text).toMatch(/共 \d+ 家合作伙伴/);
      expect(page.text).not.toMatch(/>\s*(active|sales and service|Partners)\s*</);
    });

    it('renders the detail page, the timeline and the certificate in Chinese', async () => {
      const p = await t.createPartner({ tier: 'A', cooperationType: 'service' });
      await t.get(PartnersService).transition(SYSTEM_ACTOR, p.id, 'suspended', { reason: '投诉处理中' });
      const page = await zhManager.get(`/partners/${p.id}`).expect(200);
      expect(page.text).toContain('企业信息');
      expect(page.text).toContain('服务型');
      expect(page.text).toContain('A 级合作伙伴支持政策');
      expect(page.text).toContain('4 小时');
      expect(page.text).toContain('状态由“合作中”变为“已暂停”');
      expect(page.text).toContain('投诉处理中');
      expect(page.text).toContain('恢复该合作伙伴');
      expect(page.text).toMatch(/<label for="reactivate-reason">原因 <abbr class="req"/);
      const cert = await zhManager.get(`/partners/${p.id}/certificate`).expect(200);
      expect(cert.text).toContain('合作伙伴服务认证 · 认证工作标识');
      expect(cert.text).toContain('为本公司集团客户服务型合作伙伴');
      expect(cert.text).toContain('合作伙伴等级：A 级');
      expect(cert.text).toMatch(/认证编号：CERT-T-/);
      expect(cert.text).toContain('当前状态：已暂停');
    });

    it('sends a refused login form back with the typed values and the message beside the field', async () => {
      const p = await t.createPartner();
      const res = await zhManager.postForm(`/partners/${p.id}/users`, { username: 'Bad Name!', displayName: '王磊', email: 'wang.lei@example.cn' }).set('Host', 'portal.test').set('Referer', `http://portal.test/partners/${p.id}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/partners/${p.id}`);
      const page = await zhManager.get(res.headers.location).expect(200);
      expect(page.text).toMatch(/<input id="pu-username" name="username" value="Bad Name!"[^>]*aria-invalid="true"/);
      expect(page.text).toMatch(/<span class="field-error" id="err-username" role="alert">用户名须为 3–64 位小写字母、数字或 \. _ -<\/span>/);
      expect(page.text).toContain('value="王磊"');
      expect(page.text).toContain('value="wang.lei@example.cn"');
    });
  });
});
