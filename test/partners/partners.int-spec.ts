import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { RuleViolation } from '../../src/core/web/errors';
import { PartnerDirectoryService } from '../../src/modules/partners/partner-directory.service';
import { PartnersService } from '../../src/modules/partners/partners.service';
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

    it('shows a partner user its own page with the account masked, and redirects /my/partner there', async () => {
      const redirect = await partnerA.get('/my/partner');
      expect(redirect.status).toBe(303);
      expect(redirect.headers.location).toBe(`/partners/${a.id}`);
      const page = await partnerA.get(`/partners/${a.id}`).expect(200);
      expect(page.text).toContain('************9876');
      expect(page.text).not.toContain('6222020000009876');
      const api = await partnerA.getJson(`/api/partners/${a.id}`).expect(200);
      expect(api.body.bankAccountNo).toBe('************9876');
      expect(api.body.bankAccountMasked).toBe(true);
    });

    it('shows the full account to finance only', async () => {
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
      expect(timeline.find((e) => e.kind === 'tier')).toMatchObject({ label: 'tier C → B (manual)', reason: 'better coverage' });
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
      const res = await manager.post(`/api/partners/${a.id}/users`, { username: 'aa.sales', password: 'long-enough-1', displayName: 'AA sales' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ username: 'aa.sales', role: 'partner', partnerId: a.id });
      const s = await t.login('aa.sales', 'long-enough-1');
      expect((await s.get(`/partners/${b.id}`)).status).toBe(404);
      const applied = await t.createPartner({ status: 'applied', tier: null, certificationId: null });
      expect((await manager.post(`/api/partners/${applied.id}/users`, { username: 'early.bird', password: 'long-enough-1' })).status).toBe(422);
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
      expect(first.text).toMatch(/href="\/partners\?after(=|&#x3D;)LP-P-/);
    });

    it('refuses unknown filter values', async () => {
      expect((await manager.getJson('/api/partners?status=lost')).status).toBe(400);
    });
  });
});
