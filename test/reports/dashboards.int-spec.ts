import { DEMO_PASSWORD, runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { missingKeys } from '../../src/core/i18n/i18n';
import { previousPeriod } from '../../src/core/period/period.util';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { panelTable, plain } from './html-table';

/**
 * Each role's dashboard on the demo data: the numbers in every chart's table equal what the database says, computed
 * here independently (plain GROUP BYs, not the dashboard's queries); the chart data block is JSON, never script.
 */
describe('role dashboards', () => {
  let t: TestApp;
  const P = '2026Q3';
  const page = async (s: Session) => {
    missingKeys.clear();
    const html = (await s.get(`/?period=${P}`).expect(200)).text;
    expect([...missingKeys]).toEqual([]);
    return html;
  };
  const login = (u: string) => t.login(u, DEMO_PASSWORD, 'zh-CN');

  beforeAll(async () => {
    t = await createTestApp();
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
  }, 180_000);
  afterAll(() => t?.close());

  it('partner: Y and P, pay per quarter, duties by stage equal the database', async () => {
    const s = await login('partner1');
    const id = s.user!.partnerId!;
    const html = await page(s);
    expect(html).toContain('<script type="application/json" id="chart-1-data">');
    expect(html).toContain('src="/public/vendor/echarts.min.js"');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);

    const scores: { period: string; y: string }[] = await t.db.query(
      `SELECT DISTINCT ON (period) period, score_y::text AS y FROM score_sheet WHERE partner_id = $1 AND status <> 'draft' AND score_y IS NOT NULL AND period <= $2
        ORDER BY period, revision DESC`, [id, P]);
    expect(scores.length).toBeGreaterThan(0);
    const yp = panelTable(html, 'reports:dashboard.partner.scores')!;
    expect(yp.map((r) => [r[0], r[1]])).toEqual(scores.map((r) => [r.period, r.y]));
    // P = 1 from 90, else Y / 90 (6 places)
    for (const r of yp) expect(r[2]).toBe(Number(r[1]) >= 90 ? '1.000000' : (Number(r[1]) / 90).toFixed(6));

    const pay: { period: string; base: string; quality: string; adj: string; total: string; accrued: string; p: string }[] = await t.db.query(
      `SELECT b.period, sum(l.base_pay)::text AS base, sum(l.quality_pay)::text AS quality, sum(l.adjustments)::text AS adj, sum(l.total_pay)::text AS total
         FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id
        WHERE l.partner_id = $1 AND b.status IN ('approved','exported','paid') AND b.period <= $2 GROUP BY b.period ORDER BY b.period`, [id, P]);
    expect(pay.length).toBeGreaterThan(0);
    const payRows = panelTable(html, 'reports:dashboard.partner.pay')!;
    expect(payRows.map((r) => [r[0], plain(r[1]), plain(r[2]), plain(r[4]), plain(r[5])])).toEqual(pay.map((r) => [r.period, r.base, r.quality, r.adj, r.total]));

    const duties: { stage: string; required: number; fulfilled: number }[] = await t.db.query(
      `SELECT stage, sum(required_count)::int AS required, sum(least(fulfilled_count, required_count))::int AS fulfilled
         FROM checklist_item WHERE partner_id = $1 AND period = $2 AND status <> 'not_applicable' GROUP BY stage`, [id, P]);
    const dutyRows = panelTable(html, 'reports:dashboard.partner.duties')!;
    expect(dutyRows.length).toBe(duties.length);
    const total = (rows: string[][], i: number) => rows.reduce((a, r) => a + Number(r[i]), 0);
    expect(total(dutyRows, 1)).toBe(duties.reduce((a, r) => a + r.required, 0));
    expect(total(dutyRows, 2)).toBe(duties.reduce((a, r) => a + r.fulfilled, 0));
    // a partner sees no staff charts
    expect(panelTable(html, 'reports:dashboard.finance.byQuarter')).toBeNull();
    expect(panelTable(html, 'reports:dashboard.manager.distribution')).toBeNull();
  });

  it('channel manager: distribution, ranking, overdue and funnel equal the database', async () => {
    const html = await page(await login('manager'));
    const [latest] = await t.db.query(`SELECT max(period) AS p FROM score_sheet WHERE period <= $1 AND status <> 'draft' AND score_y IS NOT NULL`, [P]);
    const bands: { n: number }[] = await t.db.query(`
      WITH s AS (SELECT DISTINCT ON (partner_id) score_y FROM score_sheet WHERE period = $1 AND status <> 'draft' AND score_y IS NOT NULL ORDER BY partner_id, revision DESC)
      SELECT b, (SELECT count(*)::int FROM s WHERE score_y >= lo AND score_y < hi) AS n
        FROM (VALUES (1, 0, 60), (2, 60, 70), (3, 70, 80), (4, 80, 90), (5, 90, 101)) v(b, lo, hi) ORDER BY b`, [latest.p]);
    const dist = panelTable(html, 'reports:dashboard.manager.distribution')!;
    expect(dist.map((r) => Number(r[1]))).toEqual(bands.map((b) => b.n));
    expect(bands.reduce((a, b) => a + b.n, 0)).toBeGreaterThan(0);

    const ranked: { code: string; y: string }[] = await t.db.query(`
      SELECT p.code, s.score_y::text AS y FROM (SELECT DISTINCT ON (partner_id) partner_id, score_y FROM score_sheet
        WHERE period = $1 AND status <> 'draft' AND score_y IS NOT NULL ORDER BY partner_id, revision DESC) s JOIN partner p ON p.id = s.partner_id
       ORDER BY s.score_y DESC, p.code LIMIT 15`, [latest.p]);
    const rank = panelTable(html, 'reports:dashboard.manager.ranking')!;
    expect(rank.map((r) => [r[0].split(' ')[0], r[1]])).toEqual(ranked.map((r) => [r.code, r.y]));
    for (const r of rank) expect(r[3]).toMatch(/^[↑↓→·]/);
    // the previous quarter's Y of each listed partner (looked up for the top ones only, #18)
    const prev: { code: string; y: string }[] = await t.db.query(`
      SELECT p.code, s.score_y::text AS y FROM (SELECT DISTINCT ON (partner_id) partner_id, score_y FROM score_sheet
        WHERE period = $1 AND status <> 'draft' AND score_y IS NOT NULL ORDER BY partner_id, revision DESC) s JOIN partner p ON p.id = s.partner_id`, [previousPeriod(latest.p).code]);
    const prevOf = new Map(prev.map((r) => [r.code, r.y]));
    expect(rank.map((r) => r[2] || null)).toEqual(ranked.map((r) => prevOf.get(r.code) ?? null));

    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const [overdue] = await t.db.query(`SELECT count(*)::int AS n FROM checklist_item WHERE status = 'open' AND due_date < $1 AND partner_id IS NOT NULL`, [today]);
    const od = panelTable(html, 'reports:dashboard.manager.overdue');
    const shown = (od ?? []).reduce((a, r) => a + Number(r[2]), 0);
    expect(shown).toBeLessThanOrEqual(overdue.n);
    if (overdue.n > 0) expect(shown).toBeGreaterThan(0);

    const [f] = await t.db.query(`
      SELECT count(DISTINCT a.partner_id)::int AS applied,
             count(DISTINCT a.partner_id) FILTER (WHERE EXISTS (SELECT 1 FROM partner_status_history h WHERE h.partner_id = a.partner_id AND h.to_status IN ('approved','active','suspended','exiting','exited') AND h.effective_on <= '2026-09-30'))::int AS approved,
             count(DISTINCT a.partner_id) FILTER (WHERE EXISTS (SELECT 1 FROM partner_status_history h WHERE h.partner_id = a.partner_id AND h.to_status = 'active' AND h.effective_on <= '2026-09-30'))::int AS active
        FROM onboarding_application a WHERE (a.submitted_at AT TIME ZONE 'Asia/Shanghai')::date <= '2026-09-30'`);
    const funnel = panelTable(html, 'reports:dashboard.manager.funnel');
    if (f.applied) expect(funnel!.map((r) => Number(r[1]))).toEqual([f.applied, f.approved, f.active]);
  });

  it('finance: cost by quarter with the quality withholding, by region and tier equal the database', async () => {
    const html = await page(await login('finance'));
    const q: { period: string; total: string; withheld: string }[] = await t.db.query(`
      SELECT b.period, sum(l.total_pay)::text AS total, sum(round(l.accrued * 0.1 * (1 - l.coefficient_p), 2))::text AS withheld
        FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id WHERE b.status <> 'cancelled' AND b.period <= $1 GROUP BY b.period`, [P]);
    expect(q.length).toBeGreaterThan(0);
    const rows = panelTable(html, 'reports:dashboard.finance.byQuarter')!;
    for (const r of q) {
      const row = rows.find((x) => x[0] === r.period)!;
      expect([plain(row[4]), plain(row[5])]).toEqual([r.total, r.withheld]);
    }
    const regions: { region: string; total: string }[] = await t.db.query(`
      SELECT p.region, sum(l.total_pay)::text AS total FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id JOIN partner p ON p.id = l.partner_id
       WHERE b.period = $1 AND b.status <> 'cancelled' GROUP BY p.region`, [P]);
    const byRegion = panelTable(html, 'reports:dashboard.finance.byRegion')!;
    expect(Object.fromEntries(byRegion.map((r) => [r[0], plain(r[1])]))).toEqual(Object.fromEntries(regions.map((r) => [r.region, r.total])));
    const tiers: { n: number }[] = await t.db.query(`
      SELECT count(DISTINCT p.tier)::int AS n FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id JOIN partner p ON p.id = l.partner_id WHERE b.period = $1 AND b.status <> 'cancelled'`, [P]);
    expect(panelTable(html, 'reports:dashboard.finance.byTier')!.length).toBeGreaterThanOrEqual(tiers[0].n);
    expect(html).toContain('待审批的结算批次');
  });

  it('admin: users by role and storage equal the database', async () => {
    const html = await page(await login('admin'));
    const users: { role: string; n: number }[] = await t.db.query(`SELECT role, count(*) FILTER (WHERE active)::int AS n FROM user_account GROUP BY role ORDER BY role`);
    const rows = panelTable(html, 'reports:dashboard.admin.users')!;
    expect(rows.map((r) => Number(r[1]))).toEqual(users.map((u) => u.n));
    expect(rows.map((r) => r[0])).toContain('合作伙伴');
    const signIns = panelTable(html, 'reports:dashboard.admin.signIns')!;
    expect(signIns).toHaveLength(14);
    const [ok] = await t.db.query(`SELECT count(*)::int AS n FROM login_attempt WHERE succeeded AND at > now() - interval '13 days'`);
    expect(signIns.reduce((a, r) => a + Number(r[1]), 0)).toBeGreaterThanOrEqual(Math.min(1, ok.n));
  });

  it('serves ECharts itself and the chart script under /public/', async () => {
    const js = await t.anonymous().get('/public/vendor/echarts.min.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    await t.anonymous().get('/public/charts.js').expect(200);
  });

  it('ignores a malformed period and shows the current quarter', async () => {
    const html = (await (await login('finance')).get('/?period=2026Q9%27').expect(200)).text;
    expect(html).toMatch(/<option value="\d{4}Q[1-4]" selected>/);
  });
});
