import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { DemoSeedContext } from '../../src/core/web/discovery';
import { CustomersDemoSeed } from '../../src/modules/customers/customers.demo-seed';
import { DutiesDemoSeed } from '../../src/modules/duties/duties.demo-seed';
import { DutiesService } from '../../src/modules/duties/duties.service';
import { missingKeys } from '../../src/core/i18n/i18n';
import { englishWordsOnPage, rawKeys, visibleText } from '../i18n/page-text';
import { createTestApp, Session, TestApp } from '../support/test-app';

describe('customers and duties demo data', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('seeds every stage and class, checklists for 2026Q3 and 2026Q4, records, overdue items and alerts', async () => {
    const partners = [await t.createPartner(), await t.createPartner(), await t.createPartner(), await t.createPartner()];
    const manager = await t.createUser('channel_manager');
    const bag: Record<string, unknown> = { activePartnerIds: partners.map((p) => p.id), 'user:manager': manager.id };
    await t.db.transaction(async (m) => {
      const ctx: DemoSeedContext = { manager: m, actor: SYSTEM_ACTOR, logins: [], bag, log: () => undefined };
      await t.get(CustomersDemoSeed).seed(ctx);
      await t.get(DutiesDemoSeed).seed(ctx);
    });
    expect((bag.customerIds as number[]).length).toBe(40);
    const [mix] = await t.db.query(`SELECT count(DISTINCT stage)::int AS stages, count(DISTINCT customer_class)::int AS classes FROM customer`);
    expect(mix).toEqual({ stages: 5, classes: 3 });
    const periods = await t.db.query(`SELECT period, count(*)::int AS n FROM checklist_item GROUP BY period ORDER BY period`);
    expect(periods.map((p: { period: string }) => p.period)).toEqual(['2026Q3', '2026Q4']);
    const [{ records }] = await t.db.query(`SELECT count(*)::int AS records FROM service_record`);
    expect(records).toBeGreaterThan(50);
    const [{ alerts }] = await t.db.query(`SELECT count(*)::int AS alerts FROM duty_alert`);
    expect(alerts).toBeGreaterThan(0);
    const duties = t.get(DutiesService);
    expect(await duties.isQuarterLocked('2026Q3')).toBe(true);
    const c = await duties.completionFor(partners[0].id, '2026Q3');
    expect(c.fulfilled).toBeGreaterThan(0);
    expect(c.fulfilled).toBeLessThan(c.required);
  });

  it('shows the demo data in Chinese on every customers and duties page (no English UI words, no raw or missing keys)', async () => {
    const [partner] = await t.db.query(`SELECT partner_id AS id FROM customer_assignment WHERE valid_to IS NULL AND partner_id IS NOT NULL ORDER BY id LIMIT 1`);
    const [customer] = await t.db.query(`SELECT id FROM customer WHERE code = 'GZ-0007'`);
    const admin = await t.createUser('admin');
    const pu = await t.createUser('partner', { partnerId: partner.id });
    const staff = await t.login(admin.username, undefined, 'zh-CN');
    const me = await t.login(pu.username, undefined, 'zh-CN');
    const rows: { w: string }[] = await t.db.query(`SELECT name AS w FROM customer UNION SELECT code FROM customer UNION SELECT name FROM partner UNION SELECT code FROM partner
      UNION SELECT username FROM user_account UNION SELECT coalesce(display_name, '') FROM user_account`);
    const dataWords = new Set(rows.flatMap((r) => (r.w ?? '').toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []));
    const pages: [Session, string][] = [
      [staff, '/customers'], [staff, `/customers/${customer.id}`], [staff, '/customers/import'], [staff, '/duties?period=2026Q3'], [staff, '/duties?period=2026Q4'],
      [staff, '/duties/templates'], [me, '/my/customers?period=2026Q3'], [me, '/my/duties?period=2026Q3'], [me, '/my/records'], [me, '/my/records/new'], [me, '/'],
    ];
    const problems: string[] = [];
    for (const [s, url] of pages) {
      missingKeys.clear();
      const res = await s.get(url);
      if (res.status !== 200) { problems.push(`${url}: HTTP ${res.status}`); continue; }
      for (const k of missingKeys) problems.push(`${url}: missing key ${k}`);
      const text = visibleText(res.text);
      for (const k of rawKeys(text)) problems.push(`${url}: raw key ${k}`);
      const english = englishWordsOnPage(text, dataWords);
      if (english.length) problems.push(`${url}: English on a zh-CN page: ${english.join(', ')}`);
    }
    expect(problems).toEqual([]);
    const detail = await staff.get(`/customers/${customer.id}`).expect(200);
    expect(detail.text).toContain('季度客户分析会确认阶段变化');
    expect(detail.text).toContain('批量导入');
  });
});
