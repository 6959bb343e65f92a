import { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { t as tr } from '../../src/core/i18n/i18n';
import { todayIso } from '../../src/core/period/period.util';
import { insertCustomer } from '../customers/fixtures';
import { TestApp } from '../support/test-app';
import { screenshot, signIn, startAppWithBrowser, VIEWPORTS } from '../e2e/browser';

/**
 * Documents in headless Chromium, in zh-CN, through the pages: the partner uploads a photo of a signed visit sheet on
 * its service record with the page's own form (multipart, CSRF as the form sends it), the channel manager sees the
 * thumbnail and downloads the same bytes with the Chinese name, another partner is refused (404). Screenshots at
 * 1366 and 390 px.
 */
describe('documents in the browser (zh-CN)', () => {
  let env: Awaited<ReturnType<typeof startAppWithBrowser>>;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const users = {} as Record<'p1' | 'p2' | 'manager', { username: string; password: string }>;
  let recordId: number;
  let photo: Buffer;
  const fileName = '走访签字单（客户盖章）.jpg';

  async function pageAs(who: keyof typeof users, viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport, acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, base, users[who].username, users[who].password);
    return { context, page };
  }

  beforeAll(async () => {
    env = await startAppWithBrowser();
    ({ t, browser, base } = env);
    const p1 = await t.createPartner();
    const p2 = await t.createPartner();
    users.p1 = await t.createUser('partner', { partnerId: p1.id });
    users.p2 = await t.createUser('partner', { partnerId: p2.id });
    users.manager = await t.createUser('channel_manager');
    const c = await insertCustomer(t, { partnerId: p1.id });
    const s1 = await t.login(users.p1.username, users.p1.password);
    const rec = await s1.post('/api/records', { customerId: c.id, recordType: 'visit', occurredAt: `${todayIso()}T00:05:00`, description: '上门走访，客户签字' });
    expect(rec.status).toBe(201);
    recordId = Number(rec.body.id);
    photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 40, g: 110, b: 190 } } }).jpeg().toBuffer();
  }, 120_000);
  afterAll(() => env?.close());

  it('the partner uploads through the form; the manager sees the thumbnail and downloads; another partner gets 404', async () => {
    const partner = await pageAs('p1');
    await partner.page.goto(`${base}/my/records`);
    await Promise.all([partner.page.waitForURL(/\/documents\/on\/service_record\//), partner.page.click(`a[href="/documents/on/service_record/${recordId}"]`)]);
    await partner.page.setInputFiles('#doc-file', { name: fileName, mimeType: 'image/jpeg', buffer: photo });
    const [post] = await Promise.all([
      partner.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/documents/on/')),
      partner.page.click('form[enctype="multipart/form-data"] button[type=submit]'),
    ]);
    expect(post.status()).toBe(303);
    await partner.page.waitForLoadState('load');
    await screenshot(partner.page, 'documents-partner-1366');
    expect((await partner.page.locator('.flash').allTextContents()).map((x) => x.trim())).toEqual([tr('zh-CN', 'documents:flash.uploaded', { name: fileName })]);
    await partner.context.close();

    const manager = await pageAs('manager');
    const res = await manager.page.goto(`${base}/documents/on/service_record/${recordId}`);
    expect(res?.status()).toBe(200);
    expect(await manager.page.textContent('main')).toContain(fileName);
    const thumb = manager.page.locator('img.doc-thumb').first();
    await thumb.waitFor();
    expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0 && img.naturalWidth <= 320)).toBe(true);
    const href = await manager.page.locator(`a[download]`).first().getAttribute('href');
    const [download] = await Promise.all([manager.page.waitForEvent('download'), manager.page.click(`a[href="${href}"][download]`)]);
    expect(download.suggestedFilename()).toBe(fileName);
    const got = await manager.context.request.get(`${base}${href}`);
    expect(Buffer.compare(await got.body(), photo)).toBe(0);
    expect(got.headers()['x-content-type-options']).toBe('nosniff');
    expect(got.headers()['content-type']).toBe('image/jpeg');
    await screenshot(manager.page, 'documents-manager-1366');
    await manager.context.close();

    const other = await pageAs('p2');
    expect((await other.page.goto(`${base}${href}`))?.status()).toBe(404);
    expect((await other.page.goto(`${base}/documents/on/service_record/${recordId}`))?.status()).toBe(404);
    expect(await other.page.textContent('body')).not.toContain(fileName);
    await other.context.close();

    const phone = await pageAs('p1', VIEWPORTS.phone);
    await phone.page.goto(`${base}/documents/on/service_record/${recordId}`);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(phone.page, 'documents-partner-390');
    await phone.context.close();
  }, 120_000);
});
