import { Role } from '../../src/core/auth/actor';
import { DEMO_PASSWORD, runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { pagesFor } from '../support/page-inventory';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { ROUTE_ACCESS } from './route-access';
import { listRoutes } from './route-inventory';

/** API routes with path parameters: the demo objects to read ($1 = the signed-in partner's id, null for staff). */
const API_LOOKUPS: Record<string, string> = {
  '/api/customers/:id': `SELECT id FROM customer ORDER BY id LIMIT 1`,
  '/api/customers/:id/changes': `SELECT id FROM customer ORDER BY id LIMIT 1`,
  '/api/partners/:id/changes': `SELECT id FROM partner ORDER BY id LIMIT 1`,
  '/api/verification/:id': `SELECT id FROM verification_item ORDER BY id LIMIT 1`,
  '/api/exits/:id': `SELECT id FROM exit_proposal ORDER BY (status = 'completed') DESC, id LIMIT 1`,
  '/api/exits/:id/archive': `SELECT id FROM exit_proposal WHERE status = 'completed' ORDER BY id LIMIT 1`,
  '/api/exits/:id/handover': `SELECT e.id FROM exit_proposal e JOIN handover h ON h.proposal_id = e.id ORDER BY e.id LIMIT 1`,
  '/api/exits/handover-items/:itemId/candidates': `SELECT id AS "itemId" FROM handover_item ORDER BY id LIMIT 1`,
  '/api/onboarding/applications/:id': `SELECT id FROM onboarding_application ORDER BY id LIMIT 1`,
  '/api/partners/:id': `SELECT p.id FROM partner p JOIN exit_proposal e ON e.partner_id = p.id ORDER BY p.id LIMIT 1`,
  '/api/partners/:id/history': `SELECT id FROM partner ORDER BY id LIMIT 1`,
  '/api/records/:id': `SELECT id FROM service_record ORDER BY id LIMIT 1`,
  '/api/scoring/periods/:period/sheets': `SELECT period FROM scoring_period ORDER BY period DESC LIMIT 1`,
  '/api/scoring/periods/:period/export.csv': `SELECT period FROM scoring_period ORDER BY period DESC LIMIT 1`,
  '/api/scoring/sheets/:id': `SELECT id FROM score_sheet ORDER BY id LIMIT 1`,
  '/api/settlement/batches/:id': `SELECT id FROM settlement_batch ORDER BY id LIMIT 1`,
  '/api/settlement/statements/:partnerId/:period': `SELECT l.partner_id AS "partnerId", b.period FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id ORDER BY b.id, l.id LIMIT 1`,
  '/api/violations/:id': `SELECT id FROM violation ORDER BY id LIMIT 1`,
  '/api/jobs/:id': `SELECT id FROM pgboss.job ORDER BY created_on LIMIT 1`,
  '/api/complaints/:id': `SELECT id FROM complaint ORDER BY id LIMIT 1`,
  '/api/retention/:id': `SELECT id FROM retention_warning ORDER BY id LIMIT 1`,
  '/api/support-requests/:id': `SELECT id FROM support_request ORDER BY id LIMIT 1`,
  '/api/staff/:id': `SELECT id FROM staff_member ORDER BY id LIMIT 1`,
};

/**
 * Issue #14: a bank account is shown in full only to finance and to the partner it belongs to — on every route that
 * returns a partner (pages, JSON, exports), decided in one place (BankAccountMaskInterceptor).
 */
describe('bank accounts are masked for everyone but finance and their own partner', () => {
  let t: TestApp;
  let accounts: { partnerId: number; no: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
    accounts = (await t.db.query(`SELECT id AS "partnerId", replace(bank_account_no, ' ', '') AS no FROM partner WHERE length(bank_account_no) >= 8`));
    expect(accounts.length).toBeGreaterThan(5);
  }, 180_000);
  afterAll(() => t?.close());

  async function urlsFor(role: Role, partnerId: number | null): Promise<string[]> {
    const urls = (await pagesFor(t.app, t.db, role, partnerId)).map((p) => p.url);
    for (const r of listRoutes(t.app)) {
      const access = ROUTE_ACCESS[r.key];
      if (r.method !== 'GET' || !r.path.startsWith('/api/') || !access || access.roles === 'public' || !access.roles.includes(role)) continue;
      if (!r.path.includes(':')) { urls.push(r.path); continue; }
      const sql = API_LOOKUPS[r.path];
      if (!sql) throw new Error(`no lookup for ${r.path}: add one to API_LOOKUPS`);
      const [row] = await t.db.query(sql);
      if (row) urls.push(r.path.replace(/:([A-Za-z]+)/g, (_, n: string) => encodeURIComponent(String(row[n] ?? row.id))));
    }
    return urls;
  }

  /** full account numbers (of partners other than `own`) found in the answers of every route the session can read */
  async function leaks(s: Session, role: Role, own: number | null): Promise<string[]> {
    const found: string[] = [];
    const secret = accounts.filter((a) => a.partnerId !== own);
    for (const url of await urlsFor(role, own)) {
      const res = await s.get(url);
      const text = res.text ?? '';
      for (const a of secret) if (text.replace(/\s/g, '').includes(a.no)) found.push(`${url} shows partner ${a.partnerId}'s account`);
    }
    return found;
  }

  it.each(['channel_manager', 'admin'] as Role[])('%s never sees a full account number on any page or API answer', async (role) => {
    const s = await t.loginAs(role);
    expect(await leaks(s, role, null)).toEqual([]);
    // the exit archive (the reviewed leak) answers with the masked number
    const [done] = await t.db.query(`SELECT e.id, p.bank_account_no FROM exit_proposal e JOIN partner p ON p.id = e.partner_id WHERE e.status = 'completed' ORDER BY e.id LIMIT 1`);
    const archive = await s.getJson(`/api/exits/${done.id}/archive`);
    expect(archive.status).toBe(200);
    expect(JSON.stringify(archive.body)).toContain(`*${String(done.bank_account_no).replace(/\s/g, '').slice(-4)}`);
  }, 300_000);

  it('a partner user sees its own account in full and nobody else\'s', async () => {
    const [u] = await t.db.query(`SELECT u.username, u.partner_id AS "partnerId", p.bank_account_no AS no FROM user_account u JOIN partner p ON p.id = u.partner_id
      WHERE u.role = 'partner' AND p.status = 'active' AND length(p.bank_account_no) >= 8 ORDER BY u.id LIMIT 1`);
    const s = await t.login(u.username, DEMO_PASSWORD);
    expect(await leaks(s, 'partner', u.partnerId)).toEqual([]);
    const own = await s.getJson(`/api/partners/${u.partnerId}`);
    expect(own.body.bankAccountNo).toBe(u.no);
  }, 300_000);

  it('finance reads the full number', async () => {
    const s = await t.loginAs('finance');
    const { partnerId, no } = accounts[0];
    const res = await s.getJson(`/api/partners/${partnerId}`);
    expect(res.body.bankAccountNo.replace(/\s/g, '')).toBe(no);
  });
});
