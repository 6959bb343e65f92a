import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Language, t } from '../../src/core/i18n/i18n';
import { screenshot, signIn } from './browser';

/**
 * Small helpers for the whole-loop browser test: one signed-in page per user, form submission that waits for the
 * redirect and fails loudly on an error flash, an error page or a 5xx answer (with the URL and the message, for the
 * bug report), and expected texts built from the catalogues.
 *
 * Every page speaks the portal's first language: each browser context is created with `locale: 'zh-CN'` (Chromium
 * then sends `Accept-Language: zh-CN`), and every page the test looks at must say `<html lang="zh-CN">`.
 */
export const LANG: Language = 'zh-CN';

export interface UserPage {
  page: Page;
  /** 5xx answers seen by this page (URL and status) */
  serverErrors: string[];
  /** Accept-Language of the first document request (the context's locale) */
  acceptLanguage?: string;
  /** Latin words found on the zh-CN pages this user saw: "path: words" (see LatinPolicy) */
  latinWords: string[];
  /** known portal bugs whose English words were seen (see LatinPolicy.known) */
  knownBugsSeen: Set<string>;
}

/**
 * Which Latin-letter words a zh-CN page may show: `allowed` (codes, data the test typed, abbreviations the Chinese
 * wording itself uses) and `known` — words that come from a known portal bug, tolerated only on the pages named,
 * and reported (the bug's description is collected in knownBugsSeen).
 */
export interface LatinPolicy {
  allowed: RegExp;
  known: { words: string[]; path: RegExp; bug: string }[];
}
let latinPolicy: LatinPolicy = { allowed: /^$/, known: [] };
export function setLatinPolicy(p: LatinPolicy): void { latinPolicy = p; }

const VIEWPORT = { width: 1280, height: 900 };

async function newPage(browser: Browser, opts: { acceptDownloads?: boolean } = {}): Promise<UserPage> {
  const context: BrowserContext = await browser.newContext({ locale: LANG, viewport: VIEWPORT, acceptDownloads: opts.acceptDownloads ?? false });
  const page = await context.newPage();
  const u: UserPage = { page, serverErrors: [], latinWords: [], knownBugsSeen: new Set() };
  page.on('response', (r) => { if (r.status() >= 500) u.serverErrors.push(`${r.request().method()} ${r.url()} → ${r.status()}`); });
  page.on('request', (r) => { if (u.acceptLanguage === undefined && r.isNavigationRequest()) u.acceptLanguage = r.headers()['accept-language'] ?? ''; });
  return u;
}

export async function openAs(browser: Browser, base: string, username: string, password: string): Promise<UserPage> {
  const u = await newPage(browser, { acceptDownloads: true });
  await signIn(u.page, base, username, password);
  await assertNoErrorFlash(u, `sign-in of ${username}`);
  return u;
}

/** A page for someone without an account (the public application form). */
export async function openAnonymous(browser: Browser): Promise<UserPage> {
  return newPage(browser);
}

/** Goes to a page and insists it rendered (2xx, no error flash, in zh-CN). */
export async function visit(u: UserPage, url: string): Promise<void> {
  const res = await u.page.goto(url);
  const status = res?.status() ?? 0;
  if (status >= 400) throw new Error(`GET ${url} answered ${status}: ${(await u.page.textContent('main'))?.trim().slice(0, 500)}`);
  await assertNoErrorFlash(u, `GET ${url}`);
}

/** Clicks a submit button and waits for the POST-redirect-GET to finish; throws with the error flash if the form was refused. */
export async function submit(u: UserPage, button: Locator, what: string): Promise<void> {
  const before = u.page.url();
  try {
    await Promise.all([u.page.waitForNavigation({ waitUntil: 'load', timeout: 20_000 }), button.click({ timeout: 20_000 })]);
  } catch (e) {
    await screenshot(u.page, `failed-${what.replace(/[^\w.-]+/g, '-')}`).catch(() => undefined);
    const invalid = await u.page.locator(':invalid').evaluateAll((els) => els.map((e) => (e as unknown as { name?: string; id: string }).name || (e as unknown as { id: string }).id)).catch(() => []);
    throw new Error(`${what} (form on ${before}): no page came back: ${(e as Error).message.split('\n')[0]}; fields the browser finds invalid: ${invalid.join(', ') || 'none'}`);
  }
  await assertNoErrorFlash(u, `${what} (form on ${before}, now ${u.page.url()})`);
}

export async function assertNoErrorFlash(u: UserPage, what: string): Promise<void> {
  if (u.serverErrors.length) throw new Error(`${what}: server error(s): ${u.serverErrors.join('; ')}`);
  const errors = await u.page.locator('.flash-error').allTextContents();
  if (errors.length) throw new Error(`${what}: refused with "${errors.join(' | ').trim()}"`);
  if (await u.page.locator('section.error-page').count()) {
    throw new Error(`${what}: error page: ${(await u.page.textContent('section.error-page'))?.replace(/\s+/g, ' ').trim().slice(0, 500)}`);
  }
  const lang = await u.page.getAttribute('html', 'lang');
  if (lang !== LANG) throw new Error(`${what}: the page is in "${lang}", not ${LANG}`);
  await scanLatin(u);
}

/** Records the Latin words on the page that neither the policy allows nor a known bug explains. */
export async function scanLatin(u: UserPage): Promise<void> {
  const path = new URL(u.page.url()).pathname;
  const unexpected: string[] = [];
  for (const w of await visibleLatinWords(u.page, latinPolicy.allowed)) {
    const known = latinPolicy.known.find((k) => k.words.includes(w) && k.path.test(path));
    if (known) u.knownBugsSeen.add(known.bug);
    else unexpected.push(w);
  }
  if (unexpected.length) u.latinWords.push(`${path}: ${unexpected.join(' ')}`);
}

/**
 * Long work started from a form runs as a job: the form lands on /jobs/:id, which refreshes itself until the job is
 * done. Waits for the result, throws with the refusal if there is one, otherwise returns the result message and
 * follows its link (to the page the form used to land on).
 */
export async function finishJob(u: UserPage, what: string): Promise<string> {
  if (!/\/jobs\/[0-9a-f-]{36}$/.test(new URL(u.page.url()).pathname)) throw new Error(`${what}: expected the job page, got ${u.page.url()}`);
  const result = u.page.locator('[data-job-result]');
  await result.first().waitFor({ state: 'visible', timeout: 60_000 });
  if ((await result.first().getAttribute('data-job-result')) !== 'done') {
    throw new Error(`${what}: the job refused: ${(await u.page.textContent('main'))?.replace(/\s+/g, ' ').trim().slice(0, 800)}`);
  }
  await scanLatin(u);
  const message = (await result.locator('.job-message').first().textContent())?.trim() ?? '';
  const link = result.locator('a');
  if (await link.count()) await Promise.all([u.page.waitForNavigation({ waitUntil: 'load' }), link.first().click()]);
  await assertNoErrorFlash(u, `${what}: the page the job links to`);
  return message;
}

export async function successFlash(u: UserPage): Promise<string> {
  // read once the page has loaded and shows its message (a busy machine can be slower than the assertion)
  await u.page.waitForLoadState('load');
  await u.page.locator('.flash-success').first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  return (await u.page.locator('.flash-success').allTextContents()).map((s) => s.trim()).join(' | ');
}

/** Text of the cells of the table row that contains `text` (first match). */
export async function rowCells(page: Page, tableRowText: string): Promise<string[]> {
  const row = page.locator('table.grid tbody tr', { hasText: tableRowText }).first();
  return (await row.locator('td').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
}

/** The texts of a row's cells, spaces collapsed. */
export async function cellsOf(row: Locator): Promise<string[]> {
  return (await row.first().locator('td').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
}

/** The table row whose first cell reads exactly `firstCell` (a code, a period). */
export function rowOf(page: Page, firstCell: string): Locator {
  return page.locator('table.grid tbody tr').filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^\\s*${escapeRe(firstCell)}\\s*$`) }) });
}

/**
 * The value of a `ul.kv` line whose label (its first `span`) is exactly `label`, e.g. the statement's
 * `<li><span>考核得分 (Y)</span><b>83.50</b></li>`. Fails if no line, or more than one, has that label.
 */
export async function kvValue(scope: Page | Locator, label: string, valueSelector = 'b, strong'): Promise<string> {
  const items = scope.locator('ul.kv > li');
  const found: string[] = [];
  for (let i = 0; i < (await items.count()); i++) {
    const li = items.nth(i);
    if ((await li.locator('span').first().textContent())?.trim() === label) found.push(((await li.locator(valueSelector).first().textContent()) ?? '').trim());
  }
  if (found.length !== 1) throw new Error(`kv line "${label}": found ${found.length}`);
  return found[0];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A catalogue message as a regular expression, for texts that carry values the test cannot know in advance
 * (a new id, a certification number): the `known` params are filled in, every name in `unknown` becomes a named
 * group (a second occurrence of the same placeholder must repeat the same text). Anchored at both ends.
 *   tPattern('violations:flash.recorded', {}, ['id', 'date']).exec(flash)!.groups!.id
 */
export function tPattern(key: string, known: Record<string, unknown>, unknown: string[], lang: Language = LANG): RegExp {
  const mark = (name: string) => `\u0001${name}\u0002`;
  const text = t(lang, key, { ...known, ...Object.fromEntries(unknown.map((n) => [n, mark(n)])) });
  if (text === key) throw new Error(`no catalogue text for ${key}`);
  const seen = new Set<string>();
  const source = escapeRe(text).replace(/\u0001(\w+)\u0002/g, (_m, name: string) => {
    if (seen.has(name)) return `\\k<${name}>`;
    seen.add(name);
    return `(?<${name}>.+?)`;
  });
  return new RegExp(`^${source}$`);
}

/** Matches `text` against a catalogue message (see tPattern) and returns the unknown values; fails with both texts. */
export function tMatch(text: string, key: string, known: Record<string, unknown>, unknown: string[]): Record<string, string> {
  const re = tPattern(key, known, unknown);
  const m = re.exec(text.trim());
  if (!m) throw new Error(`"${text.trim()}" is not ${key} (${re})`);
  return { ...(m.groups ?? {}) };
}

/** Runs in the page (a string: this project compiles without the DOM types). */
const LATIN_WORDS_SCRIPT = `(() => {
  const out = [];
  const skip = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const tag = e.tagName.toLowerCase();
      if (['code', 'script', 'style', 'textarea', 'select', 'option', 'svg', 'kbd', 'samp', 'pre'].includes(tag)) return true;
      const lang = e.getAttribute('lang');
      if (lang && tag !== 'html' && !lang.toLowerCase().startsWith('zh')) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || skip(el)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    for (const w of (n.textContent || '').match(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g) || []) out.push(w);
  }
  return out;
})()`;

/**
 * Latin-letter words a person sees on a zh-CN page (outside `<code>`, inputs, and elements marked with another
 * `lang`, like the language switch's "English"), minus the ones the caller expects (data the test typed, codes).
 */
export async function visibleLatinWords(page: Page, allowed: RegExp): Promise<string[]> {
  const words = await page.evaluate<string[]>(LATIN_WORDS_SCRIPT);
  return [...new Set(words.filter((w) => !allowed.test(w)))];
}

/** A local "YYYY-MM-DDTHH:mm" (what a datetime-local input takes). */
export function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
