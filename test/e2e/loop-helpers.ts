import { Browser, Locator, Page } from 'playwright-core';
import { signIn } from './browser';

/**
 * Small helpers for the whole-loop browser test: one signed-in page per user, form submission that waits for the
 * redirect and fails loudly on an error flash or a 5xx answer (with the URL and the message, for the bug report).
 */
export interface UserPage {
  page: Page;
  /** 5xx answers seen by this page (URL and status) */
  serverErrors: string[];
}

export async function openAs(browser: Browser, base: string, username: string, password: string): Promise<UserPage> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const serverErrors: string[] = [];
  page.on('response', (r) => { if (r.status() >= 500) serverErrors.push(`${r.request().method()} ${r.url()} → ${r.status()}`); });
  await signIn(page, base, username, password);
  return { page, serverErrors };
}

/** A page for someone without an account (the public application form). */
export async function openAnonymous(browser: Browser): Promise<UserPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const serverErrors: string[] = [];
  page.on('response', (r) => { if (r.status() >= 500) serverErrors.push(`${r.request().method()} ${r.url()} → ${r.status()}`); });
  return { page, serverErrors };
}

/** Goes to a page and insists it rendered (2xx, no error flash). */
export async function visit(u: UserPage, url: string): Promise<void> {
  const res = await u.page.goto(url);
  const status = res?.status() ?? 0;
  if (status >= 400) throw new Error(`GET ${url} answered ${status}: ${(await u.page.textContent('main'))?.trim().slice(0, 500)}`);
  await assertNoErrorFlash(u, `GET ${url}`);
}

/** Clicks a submit button and waits for the POST-redirect-GET to finish; throws with the error flash if the form was refused. */
export async function submit(u: UserPage, button: Locator, what: string): Promise<void> {
  const before = u.page.url();
  await Promise.all([u.page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  await assertNoErrorFlash(u, `${what} (form on ${before}, now ${u.page.url()})`);
}

export async function assertNoErrorFlash(u: UserPage, what: string): Promise<void> {
  if (u.serverErrors.length) throw new Error(`${what}: server error(s): ${u.serverErrors.join('; ')}`);
  const errors = await u.page.locator('.flash-error').allTextContents();
  if (errors.length) throw new Error(`${what}: refused with "${errors.join(' | ').trim()}"`);
  const h1 = (await u.page.locator('h1').first().textContent().catch(() => '')) ?? '';
  if (/^(Error|Something went wrong|Not found)/i.test(h1.trim())) throw new Error(`${what}: error page "${h1.trim()}": ${(await u.page.textContent('main'))?.trim().slice(0, 500)}`);
}

export async function successFlash(u: UserPage): Promise<string> {
  return (await u.page.locator('.flash-success').allTextContents()).join(' | ');
}

/** Text of the cells of the table row that contains `text` (first match). */
export async function rowCells(page: Page, tableRowText: string): Promise<string[]> {
  const row = page.locator('table.grid tbody tr', { hasText: tableRowText }).first();
  return (await row.locator('td').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
}

/** A local "YYYY-MM-DDTHH:mm" (what a datetime-local input takes). */
export function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
