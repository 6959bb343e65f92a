import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/core/paths';
import { createTestApp, TestApp } from '../support/test-app';

export const ARTIFACTS_DIR = join(PROJECT_ROOT, 'test-artifacts', 'screenshots');

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

export async function signOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
}

/** A fresh test app listening on a loopback port, and a browser to drive it; `close` stops both. */
export async function startAppWithBrowser(): Promise<{ t: TestApp; browser: Browser; base: string; close(): Promise<void> }> {
  const t = await createTestApp();
  await t.app.listen(0, '127.0.0.1');
  const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  const browser = await launchBrowser();
  return { t, browser, base, close: async () => { await browser.close(); await t.close(); } };
}
