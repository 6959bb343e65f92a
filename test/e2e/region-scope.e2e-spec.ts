import { Browser } from 'playwright-core';
import { TestApp } from '../support/test-app';
import { newLanguageContext, screenshot, signIn, startAppWithBrowser, VIEWPORTS } from './browser';

/** The admin assigns regions to a channel manager on the users page, in Chinese, at office and phone widths (#17). */
describe('regions of channel managers in a real browser (zh-CN)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ t, browser, base, close } = await startAppWithBrowser());
  });
  afterAll(() => close());

  it('ticks 安顺市 for a manager, saves, and the users page shows it', async () => {
    const admin = await t.createUser('admin');
    const manager = await t.createUser('channel_manager');
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const context = await newLanguageContext(browser, base, 'zh-CN', viewport);
      const page = await context.newPage();
      await signIn(page, base, admin.username, admin.password);
      await page.goto(`${base}/admin/users`);
      const row = page.locator('tr', { hasText: manager.username });
      expect(await row.textContent()).toContain('全省');
      await row.locator('summary').click();
      await row.locator('label', { hasText: '安顺市' }).locator('input').setChecked(name === 'desktop');
      await row.locator('label', { hasText: '毕节市' }).locator('input').setChecked(true);
      await screenshot(page, `admin-users-regions-form-${name}`);
      await row.getByRole('button', { name: '保存地区' }).click();
      await page.waitForURL(`${base}/admin/users`);
      expect(await page.textContent('main')).toContain(name === 'desktop' ? '安顺市、毕节市' : '：毕节市');
      await screenshot(page, `admin-users-regions-${name}`);
      await context.close();
    }
    const rows: { name: string }[] = await t.db.query(`SELECT r.name FROM manager_region mr JOIN region r ON r.id = mr.region_id WHERE mr.user_id = $1`, [manager.id]);
    expect(rows.map((r) => r.name)).toEqual(['毕节市']);
  });
});
