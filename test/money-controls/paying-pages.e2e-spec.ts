/// <reference lib="dom" />
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { TestApp } from '../support/test-app';
import { newLanguageContext, screenshotDir, signIn, startAppWithBrowser, VIEWPORTS } from '../e2e/browser';
import { fakeScores, importCsv, lines } from '../settlement/helpers';

/** Paying and being paid (#16) in Chromium, zh-CN, 1366 and 390 px: the partner's statement, the invoice check, the payment form. */
describe('paying pages (zh-CN, 1366 and 390 px)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void> = async () => undefined;
  let batchId: number;
  let partnerUser: { username: string; password: string };
  let checker: { id: number; username: string; password: string };

  beforeAll(async () => {
    ({ t, browser, base, close } = await startAppWithBrowser({ uiLang: 'zh-CN' }));
    const maker = await t.createUser('finance', { username: 'pay.maker' });
    checker = await t.createUser('finance', { username: 'pay.checker' });
    const p = await t.createPartner();
    const q = await t.createPartner();
    partnerUser = await t.createUser('partner', { partnerId: p.id });
    fakeScores(t, { '2026Q3': { [p.id]: '88.5', [q.id]: '95' } });
    await importCsv(t, '2026Q3', lines(p.code, ['1200.00', '300.00'], '2026-08-10') + lines(q.code, ['900.00'], '2026-08-10'));
    batchId = (await t.get(SettlementRunService).run({ ...SYSTEM_ACTOR, id: maker.id, role: 'finance' }, '2026Q3')).batchId;
    const batches = t.get(SettlementBatchService);
    await batches.approve({ ...SYSTEM_ACTOR, id: checker.id, role: 'finance' }, batchId, '核对无误');
    await batches.export({ ...SYSTEM_ACTOR, id: checker.id, role: 'finance' }, batchId);
    // q's invoice is waiting for the check (amount differs from the total pay)
    const [lq] = await t.db.query(`SELECT id FROM settlement_line WHERE batch_id = $1 AND partner_id = $2`, [batchId, q.id]);
    await t.db.query(`INSERT INTO settlement_invoice (line_id, partner_id, invoice_no, amount, invoice_date, tax_rate) VALUES ($1, $2, '04400190011', 880.00, '2026-11-01', 6)`, [lq.id, q.id]);
  }, 300_000);
  afterAll(() => close());

  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const wide = (page: Page) => page.evaluate(() => [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id}`));

  for (const [label, vp] of Object.entries(VIEWPORTS)) {
    it(`${label}: the partner confirms or uploads its invoice; finance checks invoices and records payment`, async () => {
      const context = await newLanguageContext(browser, base, 'zh-CN', vp);
      const page = await context.newPage();
      await signIn(page, base, partnerUser.username, partnerUser.password);
      await page.goto(`${base}/my/statements/2026Q3`);
      const body = (await page.textContent('main'))!;
      expect(body).toContain(tDeep('zh-CN', 'settlement:window.confirm'));
      expect(body).toContain(tDeep('zh-CN', 'invoices:my.submit'));
      await page.screenshot({ path: join(screenshotDir(), `paying-statement-${vp.width}.png`), fullPage: true });
      expect(await wide(page)).toEqual([]);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await context.close();

      const fc = await newLanguageContext(browser, base, 'zh-CN', vp);
      const fp = await fc.newPage();
      await signIn(fp, base, checker.username, checker.password);
      await fp.goto(`${base}/invoices`);
      expect((await fp.textContent('main'))!).toContain(tDeep('zh-CN', 'invoices:mismatch'));
      await fp.screenshot({ path: join(screenshotDir(), `paying-invoices-${vp.width}.png`), fullPage: true });
      expect(await wide(fp)).toEqual([]);
      expect(await overflow(fp)).toBeLessThanOrEqual(0);
      await fp.goto(`${base}/settlement/batches/${batchId}`);
      expect(await fp.locator('#pay-form').count()).toBe(1);
      await fp.screenshot({ path: join(screenshotDir(), `paying-batch-${vp.width}.png`), fullPage: true });
      expect(await wide(fp)).toEqual([]);
      expect(await overflow(fp)).toBeLessThanOrEqual(0);
      await fc.close();
    }, 120_000);
  }
});
