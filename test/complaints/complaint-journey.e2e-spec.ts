import { Browser } from 'playwright-core';
import { TestApp } from '../support/test-app';
import { newLanguageContext, screenshot, signIn, startAppWithBrowser, VIEWPORTS } from '../e2e/browser';

/** A complaint in a real browser, in Chinese: the partner opens it, works it, resolves it and records the return visit; the manager closes it. */
describe('complaint work order from open to return visit (browser, zh-CN)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ t, browser, base, close } = await startAppWithBrowser());
  }, 120_000);
  afterAll(() => close());

  it('opens, starts, resolves, visits (满意) and closes, at desktop and phone widths', async () => {
    const partner = await t.createPartner();
    const [c] = await t.db.query(`INSERT INTO customer (code, name, industry, region, customer_class, stage) VALUES ('JY-001', '贵阳市某物流公司', 'logistics', '贵阳市', 'A', 'maturity') RETURNING id`);
    await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', 'fixture')`, [c.id, partner.id]);
    const pu = await t.createUser('partner', { partnerId: partner.id });
    const mu = await t.createUser('channel_manager');
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const context = await newLanguageContext(browser, base, 'zh-CN', viewport);
      let page = await context.newPage();
      await signIn(page, base, pu.username, pu.password);
      await page.goto(`${base}/my/complaints/new`);
      await page.selectOption('select[name=customerId]', String(c.id));
      await page.selectOption('select[name=kind]', 'fault');
      await page.selectOption('select[name=category]', 'network');
      await page.fill('textarea[name=description]', '客户反映集团专线中断，办公区无法上网。');
      await screenshot(page, `complaint-01-new-${name}`);
      await Promise.all([page.waitForURL(/\/my\/complaints\/\d+$/), page.click('form[action="/my/complaints"] button[type=submit]')]);
      expect(await page.textContent('h1')).toContain('待处理');
      expect(await page.textContent('.kv')).toContain('A 类，处理时限 4 小时');
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/start"] button')]);
      expect(await page.textContent('h1')).toContain('处理中');
      await page.fill('textarea[name=rootCause]', '光模块老化');
      await page.fill('textarea[name=correctiveAction]', '更换光模块并巡检同批设备');
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/resolve"] button')]);
      expect(await page.textContent('h1')).toContain('已解决待回访');
      await page.selectOption('select[name=satisfaction]', 'satisfied');
      await page.fill('textarea[name=note]', '客户确认网络已恢复');
      await screenshot(page, `complaint-02-visit-${name}`);
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/visit"] button')]);
      expect(await page.textContent('h1')).toContain('已回访');
      const id = new URL(page.url()).pathname.split('/').pop();
      await context.close(); // the manager signs in in a browser of their own (on a phone the sign-out sits in the folded menu)
      const mctx = await newLanguageContext(browser, base, 'zh-CN', viewport);
      page = await mctx.newPage();
      await signIn(page, base, mu.username, mu.password);
      await page.goto(`${base}/complaints/${id}`);
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/close"] button')]);
      expect(await page.textContent('h1')).toContain('已关闭');
      expect(await page.textContent('table.grid')).toContain('回访（满意）');
      await screenshot(page, `complaint-03-closed-${name}`);
      await page.goto(`${base}/complaints`);
      await screenshot(page, `complaint-04-list-${name}`);
      await mctx.close();
    }
  }, 180_000);
});
