import AxeBuilder from '@axe-core/playwright';
import { Browser } from 'playwright-core';
import { DEMO_PASSWORD, runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { newLanguageContext, screenshot, signIn, startAppWithBrowser, VIEWPORTS } from '../e2e/browser';
import { TestApp } from '../support/test-app';

/**
 * Support and staff pages in headless Chromium, zh-CN, at 1366 and 390 px: no serious or critical axe finding, no
 * horizontal scrolling, and the public verification page names only the engineer, the partner and the validity.
 */
describe('support and staff pages in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, browser, base, close } = await startAppWithBrowser());
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
  }, 240_000);
  afterAll(() => close?.());

  const pages = async (): Promise<{ user: string | null; paths: string[] }[]> => {
    const [req] = await t.db.query(`SELECT id FROM support_request ORDER BY (status = 'open') DESC, id LIMIT 1`);
    const [staff] = await t.db.query(`SELECT staff_id AS id FROM staff_certificate ORDER BY id LIMIT 1`);
    const [own] = await t.db.query(`SELECT s.id FROM staff_member s JOIN user_account u ON u.partner_id = s.partner_id WHERE u.username = 'partner1' ORDER BY s.id LIMIT 1`);
    const [ownReq] = await t.db.query(`SELECT r.id FROM support_request r JOIN user_account u ON u.partner_id = r.partner_id WHERE u.username = 'partner1' ORDER BY r.id LIMIT 1`);
    const [cert] = await t.db.query(`SELECT number FROM staff_certificate WHERE revoked_at IS NULL ORDER BY id LIMIT 1`);
    return [
      { user: 'manager', paths: ['/support', `/support/${req.id}`, '/staff', `/staff/${staff.id}`, '/staff/courses'] },
      { user: 'partner1', paths: ['/my/support', '/my/support/new', `/my/support/${ownReq.id}`, '/my/staff', '/my/staff/new', `/my/staff/${own.id}`] },
      { user: null, paths: [`/verify/${cert.number}`, '/verify'] },
    ];
  };

  for (const [label, viewport] of Object.entries(VIEWPORTS)) {
    it(`has no serious accessibility finding and no horizontal scroll at ${viewport.width} px`, async () => {
      const problems: string[] = [];
      for (const { user, paths } of await pages()) {
        const context = await newLanguageContext(browser, base, 'zh-CN', viewport);
        const page = await context.newPage();
        if (user) await signIn(page, base, user, DEMO_PASSWORD);
        for (const path of paths) {
          const res = await page.goto(`${base}${path}`);
          if (res?.status() !== 200) problems.push(`${path}: HTTP ${res?.status()}`);
          const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
          for (const v of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) problems.push(`${path}: ${v.id} ${v.nodes[0]?.target}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 1) problems.push(`${path}: ${overflow}px horizontal scroll`);
          await screenshot(page, `support-staff-${(user ?? 'public')}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}-${label}`);
        }
        await context.close();
      }
      expect(problems).toEqual([]);
    }, 240_000);
  }
});
