/// <reference lib="dom" />
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { BankChangeService } from '../../src/modules/partners/bank-change.service';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { SettlementService } from '../../src/modules/settlement/settlement.service';
import { TestApp } from '../support/test-app';
import { newLanguageContext, screenshotDir, signIn, startAppWithBrowser, VIEWPORTS } from '../e2e/browser';
import { fakeScores, importCsv, lines, payWithoutInvoices, checker as approverOf } from '../settlement/helpers';

/** The four-eyes parts of the finance pages in Chromium, zh-CN, at 1366 and 390 px: readable, no sideways scrolling. */
describe('money controls pages (zh-CN, 1366 and 390 px)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void> = async () => undefined;
  let batchId: number;
  let partnerId: number;
  let checker: { username: string; password: string };

  beforeAll(async () => {
    ({ t, browser, base, close } = await startAppWithBrowser({ uiLang: 'zh-CN' }));
    const maker = await t.createUser('finance', { username: 'maker.fin' });
    checker = await t.createUser('finance', { username: 'checker.fin' });
    const makerActor = { ...SYSTEM_ACTOR, id: maker.id, role: 'finance' as const };
    const p = await t.createPartner();
    partnerId = p.id;
    fakeScores(t, { '2026Q2': { [p.id]: '95' }, '2026Q3': { [p.id]: '95' } });
    await importCsv(t, '2026Q2', lines(p.code, ['100.00'], '2026-05-10'));
    const q2 = await t.get(SettlementRunService).run(makerActor, '2026Q2');
    const batches = t.get(SettlementBatchService);
    await batches.approve(await approverOf(t), q2.batchId, 'ok');
    await batches.export(SYSTEM_ACTOR, q2.batchId);
    await payWithoutInvoices(t, q2.batchId);
    await batches.markPaid(SYSTEM_ACTOR, q2.batchId, 'PAY-1');
    const change = await t.get(BankChangeService).request(makerActor, p.id, { bankName: '中国建设银行贵阳分行', bankAccountName: '新户名', bankAccountNo: '6217002710009999888', reason: '开户行变更' });
    const c = await t.db.query(`SELECT id FROM user_account WHERE username = 'checker.fin'`);
    await t.get(BankChangeService).decide({ ...SYSTEM_ACTOR, id: c[0].id, role: 'finance' }, p.id, change, 'approve', '');
    await t.get(BankChangeService).request(makerActor, p.id, { bankName: '中国银行贵阳分行', bankAccountName: '新户名', bankAccountNo: '6216600000001111', reason: '再次变更' });
    await t.get(SettlementService).addAdjustment(makerActor, { partnerId: p.id, amount: '-20000.00', kind: 'manual', reason: '合同违约扣款', reference: 'E2E-BIG' });
    await importCsv(t, '2026Q3', lines(p.code, ['900.00'], '2026-08-10'));
    batchId = (await t.get(SettlementRunService).run(makerActor, '2026Q3')).batchId;
  }, 300_000);
  afterAll(() => close());

  for (const [label, vp] of Object.entries(VIEWPORTS)) {
    it(`${label}: the batch shows maker, approvals and the flagged line; the partner page the pending bank change`, async () => {
      const context = await newLanguageContext(browser, base, 'zh-CN', vp);
      const page = await context.newPage();
      await signIn(page, base, checker.username, checker.password);
      await page.goto(`${base}/settlement/batches/${batchId}`);
      const body = (await page.textContent('main'))!;
      expect(body).toContain(tDeep('zh-CN', 'money:fourEyes.title'));
      expect(body).toContain('maker.fin');
      expect(body).toContain(tDeep('zh-CN', 'money:flags.bank_changed'));
      expect(await page.locator('input[name=acknowledge]').count()).toBe(1);
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const wide = () => page.evaluate(() => [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id}`));
      await page.screenshot({ path: join(screenshotDir(), `money-batch-${vp.width}.png`), fullPage: true });
      expect(await wide()).toEqual([]);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.goto(`${base}/settlement`);
      expect((await page.textContent('main'))!).toContain(tDeep('zh-CN', 'money:adjustmentStatus.pending'));
      await page.screenshot({ path: join(screenshotDir(), `money-settlement-${vp.width}.png`), fullPage: true });
      await page.goto(`${base}/partners/${partnerId}`);
      expect(await page.locator('[data-testid=bank-change-pending]').count()).toBe(1);
      await page.screenshot({ path: join(screenshotDir(), `money-partner-${vp.width}.png`), fullPage: true });
      expect(await wide()).toEqual([]);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await context.close();
    }, 120_000);
  }
});
