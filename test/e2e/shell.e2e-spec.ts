import { Browser } from 'playwright-core';
import { TestApp } from '../support/test-app';
import { screenshot, signIn, signOut, startAppWithBrowser } from './browser';

describe('web shell in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ t, browser, base, close } = await startAppWithBrowser());
  });
  afterAll(() => close());

  it('signs in (English browser), shows the role navigation, refuses a wrong password, signs out', async () => {
    const admin = await t.createUser('admin');
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', admin.username);
    await page.fill('input[name=password]', 'wrong-password-x');
    await page.click('button[type=submit]');
    await page.waitForSelector('.flash-error');
    expect(await page.textContent('.flash-error')).toContain('Wrong username or password.');
    await screenshot(page, 'shell-01-login-error');

    await signIn(page, base, admin.username, admin.password);
    expect(await page.textContent('h1')).toContain('Welcome');
    const nav = await page.$$eval('nav.mainnav a', (as) => as.map((a) => a.textContent?.trim()));
    expect(nav).toEqual(expect.arrayContaining(['Users', 'Audit log', 'Settlement']));
    await page.click('nav.mainnav a[href="/admin/users"]');
    await page.waitForSelector('table.grid');
    await screenshot(page, 'shell-02-users');
    // a refused form comes back to its own page with the reason (the browser sends the Referer to us)
    await page.fill('form[action="/admin/users"] input[name=username]', admin.username);
    await page.fill('form[action="/admin/users"] input[name=email]', 'someone@example.cn');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/users"] button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    // … the message beside its field, what was typed still there (a new login is an invitation: nobody types a password here)
    expect(await page.textContent('#err-username')).toContain(`username "${admin.username}" is already taken`);
    expect(await page.inputValue('form[action="/admin/users"] input[name=username]')).toBe(admin.username);
    expect(await page.inputValue('form[action="/admin/users"] input[name=email]')).toBe('someone@example.cn');
    expect(await page.locator('form[action="/admin/users"] input[type=password]').count()).toBe(0);
    await signOut(page);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });
});
