import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/core/paths';
import { createTestApp, TestApp } from '../support/test-app';

export const ARTIFACTS_DIR = join(PROJECT_ROOT, 'test-artifacts', 'screenshots');
/** Screenshots kept with the documentation (`SCREENSHOTS=1`): what the portal looks like, in Chinese. */
export const DOCS_SCREENSHOTS_DIR = join(PROJECT_ROOT, 'docs', 'screenshots');

/** Where a sweep's screenshots go: docs/screenshots when SCREENSHOTS=1, else test-artifacts/screenshots. */
export function screenshotDir(): string {
  const dir = process.env.SCREENSHOTS === '1' ? DOCS_SCREENSHOTS_DIR : ARTIFACTS_DIR;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The two screens every page must work on: an office desktop and a phone. */
export const VIEWPORTS = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** A browser context speaking one language (Accept-Language and the language cookie), at a viewport. */
export async function newLanguageContext(browser: Browser, base: string, lang: 'zh-CN' | 'en', viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: lang, viewport, extraHTTPHeaders: { 'Accept-Language': lang } });
  await context.addCookies([{ name: 'portal.lang', value: lang, url: base }]);
  return context;
}

/**
 * Debian's Chromium, headless, with the flags this closed network needs. `uiLang` asks for the browser's own
 * language (`--lang`); headless Chromium may still draw its built-in controls (file picker, date field) in English.
 */
export async function launchBrowser(opts: { uiLang?: string } = {}): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', ...(opts.uiLang ? [`--lang=${opts.uiLang}`] : [])],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);
}

export async function signOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
}

/** A fresh test app listening on a loopback port, and a browser to drive it; `close` stops both. */
export async function startAppWithBrowser(opts: { uiLang?: string; env?: Record<string, string> } = {}): Promise<{ t: TestApp; browser: Browser; base: string; close(): Promise<void> }> {
  const t = await createTestApp(opts.env);
  await t.app.listen(0, '127.0.0.1');
  const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  const browser = await launchBrowser(opts);
  return { t, browser, base, close: async () => { await browser.close(); await t.close(); } };
}
