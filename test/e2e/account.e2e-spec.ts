import { Browser } from 'playwright-core';
import { generate } from 'otplib';
import { TestApp } from '../support/test-app';
import { newLanguageContext, screenshot, signIn, startAppWithBrowser, VIEWPORTS } from './browser';

/**
 * The account pages in a real browser, in Chinese: the sign-in form works without a session (checked by Origin), the
 * account page at office and phone widths, turning on the second factor from the QR code's key, then signing in with it.
 */
describe('my account in a real browser (zh-CN)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ t, browser, base, close } = await startAppWithBrowser());
  });
  afterAll(() => close());

  it('signs in, shows sessions and password change, enrols TOTP, and needs the code afterwards', async () => {
    const u = await t.createUser('finance');
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const context = await newLanguageContext(browser, base, 'zh-CN', viewport);
      const page = await context.newPage();
      await page.goto(`${base}/password/forgot`);
      expect(await page.textContent('h1')).toContain('找回密码');
      await screenshot(page, `account-forgot-${name}`);
      await signIn(page, base, u.username, u.password);
      await page.goto(`${base}/account`);
      expect(await page.textContent('h1')).toContain('我的账号');
      expect(await page.textContent('main')).toContain('当前会话');
      await screenshot(page, `account-${name}`);
      await context.close();
    }

    const context = await newLanguageContext(browser, base, 'zh-CN');
    const page = await context.newPage();
    await signIn(page, base, u.username, u.password);
    await page.goto(`${base}/account/mfa`);
    const img = await page.$('main img');
    expect(await img!.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // the QR code is drawn (CSP allows data: images): a real image with a size
    expect(await img!.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    await screenshot(page, 'account-mfa');
    const secret = (await page.textContent('main code'))!.trim();
    await page.fill('input[name=code]', await generate({ secret }));
    await Promise.all([page.waitForURL(/\/account$/), page.click('form[action="/account/mfa/confirm"] button')]);
    expect(await page.textContent('.flash')).toContain('两步验证已开启');
    // the recovery codes, shown this once: ten of them, readable on a desktop and on a phone
    const codes = await page.$$eval('main code', (els) => els.map((e) => (e.textContent ?? '').trim()).filter((x) => /^[A-Z0-9]{5}-[A-Z0-9]{5}$/.test(x)));
    expect(codes).toHaveLength(10);
    await screenshot(page, 'account-recovery-codes-1366');
    await page.setViewportSize(VIEWPORTS.phone);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(page, 'account-recovery-codes-390');
    await context.close();

    const again = await (await newLanguageContext(browser, base, 'zh-CN')).newPage();
    await again.goto(`${base}/login`);
    await again.fill('input[name=username]', u.username);
    await again.fill('input[name=password]', u.password);
    await again.click('form[action="/login"] button[type=submit]');
    await again.waitForSelector('.flash-error');
    expect(await again.textContent('.flash-error')).toContain('动态验证码');
    await again.fill('input[name=password]', u.password);
    await again.fill('input[name=code]', await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 })); // the confirming code is spent
    await Promise.all([again.waitForURL((url) => !url.pathname.startsWith('/login')), again.click('form[action="/login"] button[type=submit]')]);
  }, 120_000);
});
