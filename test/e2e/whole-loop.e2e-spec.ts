import { readFileSync } from 'node:fs';
import Decimal from 'decimal.js';
import { Browser } from 'playwright-core';
import { money } from '../../src/core/money/money.util';
import { periodOfDate, todayIso } from '../../src/core/period/period.util';
import { TestApp, testCreditCode } from '../support/test-app';
import { screenshot, startAppWithBrowser } from './browser';
import { localDateTime, openAnonymous, openAs, rowCells, submit, successFlash, UserPage, visit } from './loop-helpers';

/**
 * One quarter of the portal walked in headless Chromium, through the HTML pages only, as the users would:
 * apply → review/approve/activate → customers imported and assigned → checklist and service records →
 * scoring → settlement → the partner's statement → violation → exit with handover.
 *
 * The only shortcut: the staff logins (channel manager, finance) are created with UsersService, because
 * someone has to exist before the first page can be used. Everything else goes through forms.
 *
 * Dates: everything happens in the quarter of the real date (TODAY). Activation takes effect the day it is
 * clicked (today, whatever the contract date), so accruals are dated today (the partner must have been working on
 * the accrual date). The customers are imported with assigned_from = yesterday: the import accepts a past date for
 * an active partner, and the handover at the end must start AFTER the current assignment started (reassigning on
 * the assignment's own first day is refused) while the exit can only be completed once no customer is held today —
 * so assignments starting today would make a same-day exit impossible. Service records are dated "now".
 */
const TODAY = todayIso();
const QUARTER = periodOfDate(TODAY);
const PERIOD = QUARTER.code;
const YESTERDAY = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const PASSWORD_A = 'partner-a-password-1';
const REGION = 'Guiyang';

/** pay = round2(accrued × (810 + Y) / 900) for Y < 90, else accrued (the seed's 90% + 10% × P rule). */
function expectedPay(accrued: string, y: string): string {
  const a = new Decimal(accrued);
  const pay = new Decimal(y).gte(90) ? a : a.times(new Decimal(810).plus(y)).div(900);
  return pay.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

describe('the whole loop in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const pages: UserPage[] = [];

  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ t, browser, base, close } = await startAppWithBrowser());
  });
  afterAll(() => close());

  it('walks one quarter: apply → approve → customers → records → scoring → settlement → statement → exit', async () => {
    // Starting staff logins (direct service call: nobody could create the first users through the UI).
    const manager = await t.createUser('channel_manager', { username: 'loop.manager' });
    const finance = await t.createUser('finance', { username: 'loop.finance' });

    // ---- 1. two organisations apply through the public form ---------------------------------------------------
    const applicant = await openAnonymous(browser);
    pages.push(applicant);
    const apply = async (name: string, n: number): Promise<string> => {
      await visit(applicant, `${base}/apply`);
      const f = applicant.page;
      await f.fill('input[name=name]', name);
      await f.fill('input[name=creditCode]', testCreditCode(n));
      await f.fill('input[name=region]', REGION);
      await f.selectOption('select[name=cooperationType]', 'sales_and_service');
      await f.fill('input[name=contactName]', 'Li Wei');
      await f.fill('input[name=contactPhone]', '+86 851 8888 0000');
      await f.fill('input[name=contactEmail]', `contact${n}@example.cn`);
      await f.fill('input[name=bankAccountName]', name);
      await f.fill('input[name=bankName]', 'ICBC Guiyang');
      await f.fill('input[name=bankAccountNo]', '6222020000009876');
      await f.fill('textarea[name=qualifications]', 'Telecom service licence; 12 certified service engineers.');
      await f.fill('textarea[name=documentNames]', '营业执照.pdf\nservice-team.pdf');
      await f.fill('input[name=intendedRegions]', REGION);
      if (n === 1) await screenshot(f, 'loop-01-apply-form');
      await submit(applicant, f.locator('form.form-grid button[type=submit]'), `apply ${name}`);
      expect(new URL(f.url()).pathname).toBe('/apply/thanks');
      const ref = (await f.textContent('section.card strong'))!.trim();
      expect(ref).toMatch(/\S+/);
      return ref;
    };
    const refA = await apply('Qianling Enterprise Services Co., Ltd.', 1);
    await screenshot(applicant.page, 'loop-02-apply-thanks');
    const refB = await apply('Huaxi Telecom Partners Co., Ltd.', 2);

    // ---- 2. the channel manager reviews, approves, activates and creates the partner's login -------------------
    const mgr = await openAs(browser, base, manager.username, manager.password);
    pages.push(mgr);
    const onboard = async (ref: string, tier: 'A' | 'B' | 'C', shot: boolean): Promise<number> => {
      await visit(mgr, `${base}/onboarding/applications`);
      await Promise.all([mgr.page.waitForNavigation(), mgr.page.click(`table.grid a:text-is("${ref}")`)]);
      const scoreInputs = mgr.page.locator('input[name^="scores["]');
      const n = await scoreInputs.count();
      expect(n).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) {
        const max = Number(await scoreInputs.nth(i).getAttribute('max'));
        await scoreInputs.nth(i).fill(String(max - 1)); // 9 of 10 on every criterion → total 90
      }
      await mgr.page.fill('textarea[name=comments]', 'Strong local service team; references checked.');
      await submit(mgr, mgr.page.locator('form[action$="/review"] button[type=submit]'), `scorecard ${ref}`);
      expect(await mgr.page.textContent('[data-testid=total]')).toMatch(/90/);
      if (shot) await screenshot(mgr.page, 'loop-03-review-scorecard');
      await mgr.page.selectOption('select[name=decision]', 'approved');
      await mgr.page.selectOption('select[name=tier]', tier);
      await mgr.page.fill('form[action$="/decide"] input[name=reason]', 'Scorecard above the pass mark; coverage needed in Guiyang.');
      await submit(mgr, mgr.page.locator('form[action$="/decide"] button'), `approve ${ref}`);
      expect(await successFlash(mgr)).toContain(`Approved: tier ${tier}`);
      await mgr.page.fill('input[name=contractSignedOn]', TODAY);
      await submit(mgr, mgr.page.locator('form[action$="/activate"] button'), `activate ${ref}`);
      const m = /^\/partners\/(\d+)$/.exec(new URL(mgr.page.url()).pathname);
      expect(m).not.toBeNull();
      expect(await mgr.page.textContent('h1 .badge')).toBe('active');
      return Number(m![1]);
    };
    const partnerA = await onboard(refA, 'B', true);
    await mgr.page.fill('form[action$="/users"] input[name=username]', 'qianling.ops');
    await mgr.page.fill('form[action$="/users"] input[name=displayName]', 'Qianling operations');
    await mgr.page.fill('form[action$="/users"] input[name=password]', PASSWORD_A);
    await submit(mgr, mgr.page.locator('form[action$="/users"] button'), 'create partner login');
    expect(await rowCells(mgr.page, 'qianling.ops')).toEqual(expect.arrayContaining(['qianling.ops', 'active']));
    await screenshot(mgr.page, 'loop-04-partner-active-with-login');
    const partnerB = await onboard(refB, 'A', false);
    const codeA = refA;
    const codeB = refB;

    // ---- 3. customers imported (CSV upload page) and assigned to partner A -------------------------------------
    const customers = [
      { code: 'LOOP-C1', name: 'Guizhou Mining Group', industry: 'mining', cls: 'C', stage: 'development' },
      { code: 'LOOP-C2', name: 'Zunyi Tea Exporters', industry: 'agriculture', cls: 'B', stage: 'maturity' },
      { code: 'LOOP-C3', name: 'Anshun Logistics', industry: 'logistics', cls: 'A', stage: 'decline' },
    ];
    const csv = ['code,name,industry,region,class,stage,partner_code,assigned_from',
      ...customers.map((c) => `${c.code},${c.name},${c.industry},${REGION},${c.cls},${c.stage},${codeA},${YESTERDAY}`)].join('\n');
    await visit(mgr, `${base}/customers/import`);
    await mgr.page.setInputFiles('input[name=file]', { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await submit(mgr, mgr.page.locator('form[enctype="multipart/form-data"] button'), 'customer import');
    expect(await successFlash(mgr)).toContain('Imported 3 customer(s) and 3 assignment(s)');
    for (const c of customers) expect((await rowCells(mgr.page, c.code)).join(' ')).toContain(codeA);
    await screenshot(mgr.page, 'loop-05-customers-imported');
    const customerIds: Record<string, number> = {};
    for (const c of customers) {
      const href = await mgr.page.locator(`table.grid a:text-is("${c.code}")`).getAttribute('href');
      customerIds[c.code] = Number(/\/customers\/(\d+)/.exec(href!)![1]);
    }

    // ---- 4. the manager generates the quarter's checklist; the partner sees its customers and duties, records work
    await visit(mgr, `${base}/duties?period=${PERIOD}`);
    await submit(mgr, mgr.page.locator('form[action="/duties/generate"] button'), 'generate checklist');
    expect(await successFlash(mgr)).toMatch(new RegExp(`Checklist ${PERIOD}: \\d+ new item`));
    expect((await rowCells(mgr.page, codeA))[1]).toBe('3'); // three customers on the completion table
    await screenshot(mgr.page, 'loop-06-duties-generated');

    const pa = await openAs(browser, base, 'qianling.ops', PASSWORD_A);
    pages.push(pa);
    await visit(pa, `${base}/my/customers`);
    for (const c of customers) expect((await rowCells(pa.page, c.code)).join(' ')).toContain(c.name);
    await screenshot(pa.page, 'loop-07-my-customers');
    await visit(pa, `${base}/my/duties`);
    const dutyRows = await pa.page.locator('table.grid tbody tr').count();
    expect(dutyRows).toBeGreaterThan(10);
    expect(await pa.page.textContent('table.grid')).toContain('Business handling');
    await screenshot(pa.page, 'loop-08-my-duties');

    const occurredAt = localDateTime(new Date()); // this minute: not in the future, and today
    const records = [
      { customer: 'LOOP-C1', type: 'visit', description: 'Quarterly visit: product briefing for the IT department.' },
      { customer: 'LOOP-C1', type: 'business_handling', description: 'Opened two dedicated lines.' },
      { customer: 'LOOP-C1', type: 'arrears_collected', description: 'Collected the September invoice.', amount: '1200.50' },
      { customer: 'LOOP-C2', type: 'sale', description: 'Sold a cloud PBX package.' },
    ];
    for (const r of records) {
      await visit(pa, `${base}/my/records/new`);
      await pa.page.selectOption('select[name=customerId]', String(customerIds[r.customer]));
      await pa.page.selectOption('select[name=recordType]', r.type);
      await pa.page.fill('input[name=occurredAt]', occurredAt);
      await pa.page.fill('textarea[name=description]', r.description);
      await pa.page.fill('input[name=outcome]', 'done');
      if (r.amount) await pa.page.fill('input[name=amount]', r.amount);
      await submit(pa, pa.page.locator('form[action="/my/records"] button'), `record ${r.type}`);
      expect(await successFlash(pa)).toContain('Record saved');
    }
    expect(await pa.page.locator('table.grid tbody tr').count()).toBe(records.length);
    expect(await pa.page.textContent('table.grid')).toContain('1,200.50');
    await screenshot(pa.page, 'loop-09-my-records');
    await visit(pa, `${base}/my/customers`);
    const c1 = await rowCells(pa.page, 'LOOP-C1');
    expect(c1[7]).toMatch(/^[1-9]\d* \/ \d+$/); // C1's checklist has ticks now

    // ---- 5. scoring: open the quarter, enter manual scores, submit, confirm within the window -----------------
    await visit(mgr, `${base}/scoring`);
    await mgr.page.fill('form[action="/scoring/open"] input[name=period]', PERIOD);
    await submit(mgr, mgr.page.locator('form[action="/scoring/open"] button'), 'open scoring');
    expect(await successFlash(mgr)).toContain(`Scoring for ${PERIOD} is open`);
    await Promise.all([mgr.page.waitForNavigation(), mgr.page.locator('table.grid tbody tr', { hasText: codeA }).locator('a:text-is("open")').click()]);
    expect(await mgr.page.textContent('h1')).toContain(codeA);
    await mgr.page.fill('input[name=score_PROFESSIONAL_QUALITY]', '72.5');
    await mgr.page.fill('input[name=comment_PROFESSIONAL_QUALITY]', 'handling standards mostly followed');
    await mgr.page.fill('input[name=score_SERVICE_ATTITUDE]', '80');
    await submit(mgr, mgr.page.locator('form#lines button[type=submit]'), 'save scores');
    // Y from the sheet's own lines: Σ weight × score / 100, 2 decimals half away from zero
    const lines: { code: string; weight: string; score: string; inputs: string }[] = [];
    const sheetRows = mgr.page.locator('form#lines table.grid tbody tr');
    for (let i = 0; i < (await sheetRows.count()); i++) {
      const tds = sheetRows.nth(i).locator('td');
      const input = tds.nth(5).locator('input');
      lines.push({
        code: (await tds.nth(0).locator('.muted').textContent())!.trim(), weight: (await tds.nth(2).textContent())!.trim(),
        score: ((await input.count()) ? await input.inputValue() : (await tds.nth(5).textContent())!).trim(), inputs: (await tds.nth(4).textContent())!.trim(),
      });
    }
    expect(lines.map((l) => l.code)).toEqual(['DUTY_COMPLETION', 'COMPLAINT_TIMELINESS', 'RECORD_TIMELINESS', 'PROFESSIONAL_QUALITY', 'SERVICE_ATTITUDE', 'COMPLIANCE']);
    const completion = /(\d+) of (\d+) required duties fulfilled/.exec(lines[0].inputs)!;
    expect(Number(completion[1])).toBeGreaterThan(0);
    expect(Number(completion[1])).toBeLessThan(Number(completion[2]));
    expect(lines[0].score).toBe(new Decimal(completion[1]).div(completion[2]).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
    expect(lines[2].inputs).toContain(`${records.length} of ${records.length} service records entered on time`);
    const y = lines.reduce((s, l) => s.plus(new Decimal(l.weight).times(l.score)), new Decimal(0)).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
    expect(Number(y)).toBeLessThan(90); // so the statement shows P = Y/90, not P = 1
    expect(await mgr.page.locator('ul.kv li', { hasText: 'Score Y' }).locator('strong').textContent()).toBe(y);
    await screenshot(mgr.page, 'loop-10-score-sheet-draft');
    await submit(mgr, mgr.page.locator('form[action$="/submit"] button'), 'submit sheet');
    // the partner has 7 days to dispute; the UI offers "confirm within the window" with a reason
    await mgr.page.check('form[action$="/confirm"] input[name=withinWindow]');
    await mgr.page.fill('form[action$="/confirm"] input[name=reason]', 'Partner reviewed the sheet with us and agreed.');
    await submit(mgr, mgr.page.locator('form[action$="/confirm"] button'), 'confirm sheet');
    expect(await successFlash(mgr)).toContain('Sheet confirmed');
    expect(await mgr.page.textContent('p .badge')).toBe('confirmed');
    await screenshot(mgr.page, 'loop-11-score-sheet-confirmed');

    // ---- 6. finance: accrual import, run, preview, approve, export ------------------------------------------
    const accruals = [
      { customer: 'LOOP-C1', product: 'Dedicated line', amount: '12345.67' },
      { customer: 'LOOP-C2', product: 'Cloud PBX', amount: '2000.00' },
      { customer: 'LOOP-C3', product: 'IDC hosting', amount: '999.99' },
    ];
    const accrued = accruals.reduce((s, a) => s.plus(a.amount), new Decimal(0)).toFixed(2);
    const pay = expectedPay(accrued, y);
    const basePay = new Decimal(accrued).times('0.9').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
    const qualityPay = new Decimal(pay).minus(basePay).toFixed(2);
    const fin = await openAs(browser, base, finance.username, finance.password);
    pages.push(fin);
    await visit(fin, `${base}/settlement`);
    const accrualCsv = ['partner_code,customer_code,product,accrual_date,amount,reference',
      ...accruals.map((a, i) => `${codeA},${a.customer},${a.product},${TODAY},${a.amount},LOOP-ACC-${i + 1}`)].join('\n');
    const importForm = fin.page.locator('form[action^="/settlement/accruals/import"]');
    await importForm.locator('input[name=period]').fill(PERIOD);
    await importForm.locator('input[name=file]').setInputFiles({ name: 'accruals.csv', mimeType: 'text/csv', buffer: Buffer.from(accrualCsv) });
    await submit(fin, importForm.locator('button'), 'accrual import');
    expect(await successFlash(fin)).toContain(`Imported 3 accrual line(s) for ${PERIOD} (Σ ${accrued})`);
    await fin.page.fill('form[action="/settlement/run"] input[name=period]', PERIOD);
    await submit(fin, fin.page.locator('form[action="/settlement/run"] button'), 'run batch');
    expect(new URL(fin.page.url()).pathname).toMatch(/^\/settlement\/batches\/\d+$/);
    const preview = await rowCells(fin.page, codeA);
    // Partner, Lines, Accrued, Y, P, Base, Quality, Withheld, Adjustments, Total pay
    expect(preview.slice(1, 4)).toEqual(['3', fmt(accrued), y]);
    expect(preview[5]).toBe(fmt(basePay));
    expect(preview[6]).toBe(fmt(qualityPay));
    expect(preview[9]).toBe(fmt(pay));
    await screenshot(fin.page, 'loop-12-batch-preview');
    await fin.page.fill('form[action$="/approve"] input[name=comment]', 'Checked against the accrual control totals.');
    await submit(fin, fin.page.locator('form[action$="/approve"] button'), 'approve batch');
    expect(await fin.page.textContent('h1 .badge')).toBe('approved');
    const [download] = await Promise.all([fin.page.waitForEvent('download'), fin.page.click('form[action$="/export"] button')]);
    const payout = readFileSync((await download.path())!, 'utf8');
    const payoutLine = payout.split(/\r?\n/).find((l) => l.startsWith(codeA));
    expect(payoutLine).toBeDefined();
    expect(payoutLine!.split(',').slice(-1)[0]).toBe(pay);
    await visit(fin, fin.page.url());
    expect(await fin.page.textContent('h1 .badge')).toBe('exported');
    await screenshot(fin.page, 'loop-13-batch-exported');

    // ---- 7. the partner opens its statement and sees the formula with its numbers ----------------------------
    await visit(pa, `${base}/my/statements`);
    expect((await rowCells(pa.page, PERIOD)).slice(1)).toEqual(['3', fmt(accrued), fmt(pay)]);
    await Promise.all([pa.page.waitForNavigation(), pa.page.click(`table.grid a:text-is("${PERIOD}")`)]);
    const p6 = new Decimal(y).div(90).toFixed(6);
    expect((await pa.page.textContent('p.formula'))!.trim())
      .toBe(`${accrued} × 90% + ${accrued} × 10% × P = ${pay}   where P = Y/90 = ${y}/90 ≈ ${p6}`);
    const kv = async (label: string) => (await pa.page.locator('.card ul.kv li', { hasText: label }).locator('b').textContent())!.trim();
    expect(await kv('Score Y')).toBe(y);
    expect(await kv('Quality coefficient P')).toBe(p6);
    expect(await kv('Base pay')).toBe(fmt(basePay));
    expect(await kv('Quality pay')).toBe(fmt(qualityPay));
    expect(await kv('Total pay')).toBe(fmt(pay));
    await screenshot(pa.page, 'loop-14-partner-statement');

    // ---- 8. a major violation → exit proposal → approval → handover to partner B → exit completed -----------
    await visit(mgr, `${base}/violations/new?partnerId=${partnerA}`);
    await mgr.page.fill('input[name=occurredOn]', TODAY);
    const kindValue = await mgr.page.locator('select[name=kindId] option', { hasText: 'Overcharging' }).getAttribute('value');
    await mgr.page.selectOption('select[name=kindId]', kindValue!);
    await mgr.page.fill('input[name=customerId]', String(customerIds['LOOP-C2']));
    await mgr.page.fill('textarea[name=description]', 'Charged the customer a setup fee that is not in the price list.');
    await mgr.page.fill('textarea[name=evidenceNames]', 'invoice-2026-11.pdf');
    await submit(mgr, mgr.page.locator('form[action="/violations"] button'), 'record violation');
    expect(await successFlash(mgr)).toMatch(/Violation \d+ recorded/);
    await screenshot(mgr.page, 'loop-15-violation');

    await visit(mgr, `${base}/exits`);
    if (!(await mgr.page.locator('table.grid tbody tr', { hasText: codeA }).count())) {
      await submit(mgr, mgr.page.locator('form[action="/exits/evaluate"] button'), 'evaluate exits');
    }
    const proposalRow = mgr.page.locator('table.grid tbody tr', { hasText: codeA });
    expect(await proposalRow.count()).toBe(1);
    expect(await proposalRow.textContent()).toContain('proposed');
    await Promise.all([mgr.page.waitForNavigation(), proposalRow.locator('td a').first().click()]);
    await screenshot(mgr.page, 'loop-16-exit-proposal');
    await mgr.page.fill('form[action$="/approve"] textarea[name=reason]', 'Major violation (overcharging) confirmed with the customer.');
    await submit(mgr, mgr.page.locator('form[action$="/approve"] button'), 'approve exit');
    expect(new URL(mgr.page.url()).pathname).toMatch(/^\/exits\/\d+\/handover$/);
    const proposalPath = new URL(mgr.page.url()).pathname.replace(/\/handover$/, '');
    expect(await mgr.page.locator('table.grid tbody tr').count()).toBe(customers.length);

    for (let i = 0; i < customers.length; i++) {
      const form = mgr.page.locator('form[action$="/assign"]').first();
      const option = form.locator(`select[name=partnerId] option[value="${partnerB}"]`);
      expect(await option.isDisabled()).toBe(false);
      await form.locator('select[name=partnerId]').selectOption(String(partnerB));
      await form.locator('input[name=effectiveOn]').fill(TODAY);
      await submit(mgr, form.locator('button'), `hand over customer ${i + 1}`);
    }
    expect(await mgr.page.locator('form[action$="/assign"]').count()).toBe(0);
    for (let i = 0; i < customers.length; i++) {
      const form = mgr.page.locator('form[action$="/checklist"]').nth(i);
      for (const box of ['documentsTransferred', 'openRecordsTransferred', 'arrearsListTransferred', 'receiverAcknowledged']) await form.locator(`input[name=${box}]`).check();
      await form.locator('input[name=customerInformedOn]').fill(TODAY);
      await submit(mgr, form.locator('button'), `handover checklist ${i + 1}`);
    }
    expect(await mgr.page.textContent('main > p')).toContain(`${customers.length} of ${customers.length} customer(s) fully handed over`);
    expect(await mgr.page.locator('p.tone-bad').count()).toBe(0); // no "Not yet: …" refusal
    await screenshot(mgr.page, 'loop-17-handover-done');
    await submit(mgr, mgr.page.locator(`form[action="${proposalPath}/complete"] button`), 'complete exit');
    expect(await successFlash(mgr)).toMatch(/Exit completed: 1 login\(s\) deactivated/);
    expect(await mgr.page.textContent('h1')).toContain(codeA);
    expect(await mgr.page.textContent('h1 .badge')).toBe('exited');
    await screenshot(mgr.page, 'loop-18-exit-archive');

    // finance sees the final settlement batch the exit created
    const finalBatch = Number((await mgr.page.locator('ul.kv li', { hasText: 'Final settlement batch' }).locator('strong').textContent())!.trim());
    expect(finalBatch).toBeGreaterThan(0);
    await visit(fin, `${base}/settlement/batches/${finalBatch}`);
    expect(await fin.page.textContent('h1')).toContain('final');
    await screenshot(fin.page, 'loop-19-final-settlement-batch');

    // every customer is now held by partner B
    await visit(mgr, `${base}/customers`);
    for (const c of customers) expect((await rowCells(mgr.page, c.code)).join(' ')).toContain(codeB);

    // the exited partner's login is refused (its open session has ended too)
    const stale = await pa.page.goto(`${base}/my/customers`);
    expect(new URL(pa.page.url()).pathname).toBe('/login');
    expect(stale?.status()).toBeLessThan(500);
    await pa.page.fill('input[name=username]', 'qianling.ops');
    await pa.page.fill('input[name=password]', PASSWORD_A);
    await Promise.all([pa.page.waitForNavigation(), pa.page.click('button[type=submit]')]);
    expect(await pa.page.textContent('.flash-error')).toContain('This account is deactivated');
    await screenshot(pa.page, 'loop-20-exited-login-refused');

    for (const p of pages) expect(p.serverErrors).toEqual([]);
  }, 300_000);
});

/** how the pages print money: thousands separators, 2 decimals */
function fmt(amount: string): string {
  return money(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
