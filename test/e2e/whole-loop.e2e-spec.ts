import { readFileSync } from 'node:fs';
import Decimal from 'decimal.js';
import { Browser } from 'playwright-core';
import { t, tDeep } from '../../src/core/i18n/i18n';
import { money } from '../../src/core/money/money.util';
import { periodOfDate, todayIso } from '../../src/core/period/period.util';
import { SEEDED_KIND_NAMES } from '../../src/modules/violations/violation-labels';
import { SmtpSink } from '../auth/smtp-sink';
import { TestApp, testCreditCode } from '../support/test-app';
import { screenshot, startAppWithBrowser } from './browser';
import {
  cellsOf, finishJob, kvValue, LANG, localDateTime, openAnonymous, openAs, rowCells, rowOf, setLatinPolicy, submit, successFlash, tMatch, UserPage, visit,
} from './loop-helpers';

/**
 * One quarter of the portal walked in headless Chromium, in Chinese (zh-CN, the portal's first language), through
 * the HTML pages only, as the users would:
 * apply → review/approve/activate → customers imported and assigned → checklist and service records →
 * scoring → settlement → the partner's statement → violation → exit with handover → the exited login refused.
 *
 * Every browser context is created with `locale: 'zh-CN'`; every text the test expects comes from the catalogues
 * (`t('zh-CN', 'ns:key', params)`), so the test follows the wording when the catalogues change.
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
const PASSWORD_A = 'Qianling-Harbor-Ops-2026';
const OPS_EMAIL = 'ops@qianling.example.cn';
/** a name of the region list (the application form and the imports take list names) */
const REGION = '贵阳市';

/** pay = round2(accrued × (810 + Y) / 900) for Y < 90, else accrued (the seed's 90% + 10% × P rule). */
function expectedPay(accrued: string, y: string): string {
  const a = new Decimal(accrued);
  const pay = new Decimal(y).gte(90) ? a : a.times(new Decimal(810).plus(y)).div(900);
  return pay.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/**
 * Portal bugs this test found and tolerates, each exactly as observed (so any other wrong text still fails, and a
 * fixed bug simply stops being seen). None of them touches money, access or the order of the loop; see the report
 * printed at the end of the run. Remove an entry once the portal is fixed.
 */

setLatinPolicy({
  // codes (partner GY-P-00001, certification CERT-…, customer LOOP-C1), data the test typed (e-mail, logins, IDC 托管,
  // file names), abbreviations the Chinese wording itself uses (CSV, Excel, UTF-8/BOM/GBK/GB18030 in upload hints)
  // the example file name of the record form's attachment hint (IMG_0001.jpg), and file types and sizes (PDF, JPEG, KB, MB)
  allowed: /^(GY-P|CERT|ICBC|LOOP|LOOP-C|ACC|pdf|csv|CSV|Excel|IDC|contact|example|cn|qianling|ops|loop|manager|finance|checker|UTF|BOM|GBK|GB|IMG|jpg|PDF|JPEG|PNG|Word|PowerPoint|KB|MB)$/,
  known: [],
});

describe('the whole loop in a real browser, in zh-CN', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  const pages: UserPage[] = [];
  /** wrong wording found on the way (asserted empty at the end, so one run lists them all) */
  const textIssues: string[] = [];

  let close: () => Promise<void> = async () => undefined;
  /** the portal's e-mail goes over SMTP to this server in the test process (#15) */
  const smtp = new SmtpSink();
  /** the first e-mail to an address whose text matches, as the SMTP server received it */
  const mailTo = async (address: string, text: RegExp) => {
    for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      const m = smtp.mails.find((x) => x.to.includes(address) && text.test(x.text));
      if (m) return m;
    }
    throw new Error(`no e-mail to ${address} matching ${text} (received: ${smtp.mails.map((x) => `${x.to} "${x.subject}"`).join('; ')})`);
  };

  beforeAll(async () => {
    await smtp.start();
    ({ t: app, browser, base, close } = await startAppWithBrowser({ env: { SMTP_URL: smtp.url } }));
  });
  afterAll(async () => {
    await close();
    await smtp.stop();
  });

  it('walks one quarter: apply → approve → customers → records → scoring → settlement → statement → exit', async () => {
    /** A wording check that does not stop the walk: collected and asserted empty at the end (one run lists them all). */
    const textIs = (u: UserPage, what: string, actual: string, expected: string) => {
      const a = actual.trim();
      if (a !== expected) textIssues.push(`${what} on ${new URL(u.page.url()).pathname}: expected "${expected}", got "${a}"`);
    };
    const shot = (u: UserPage, name: string) => screenshot(u.page, name);

    // Starting staff logins (direct service call: nobody could create the first users through the UI).
    const manager = await app.createUser('channel_manager', { username: 'loop.manager' });
    const finance = await app.createUser('finance', { username: 'loop.finance' });
    // four eyes (#16): the batch is made by loop.finance and approved by another finance user
    const checker = await app.createUser('finance', { username: 'loop.checker' });

    // ---- 1. two organisations apply through the public form ---------------------------------------------------
    const applicant = await openAnonymous(browser);
    pages.push(applicant);
    const apply = async (name: string, n: number): Promise<string> => {
      await visit(applicant, `${base}/apply`);
      const f = applicant.page;
      expect((await f.textContent('h1'))!.trim()).toBe(t(LANG, 'onboarding:apply.titlePublic'));
      await f.fill('input[name=name]', name);
      await f.fill('input[name=creditCode]', testCreditCode(n));
      await f.selectOption('select[name=region]', REGION);
      await f.selectOption('select[name=cooperationType]', 'sales_and_service');
      await f.fill('input[name=contactName]', '李伟');
      await f.fill('input[name=contactPhone]', '+86 851 8888 0000');
      await f.fill('input[name=contactEmail]', `contact${n}@example.cn`);
      await f.fill('input[name=bankAccountName]', name);
      await f.fill('input[name=bankName]', '中国工商银行贵阳分行');
      await f.fill('input[name=bankAccountNo]', '6222020000009876');
      await f.fill('textarea[name=qualifications]', '持有增值电信业务经营许可证；12 名持证服务工程师；贵阳市内 2 个服务网点。');
      await f.fill('textarea[name=documentNames]', '营业执照.pdf\n服务团队名单.pdf');
      await f.selectOption('select[name=intendedRegions]', [REGION]);
      if (n === 1) await shot(applicant, 'loop-01-apply-form');
      await submit(applicant, f.locator('form.form-grid button[type=submit]'), `apply ${name}`);
      expect(new URL(f.url()).pathname).toBe('/apply/thanks');
      const ref = (await f.textContent('section.card strong'))!.trim();
      expect(ref).toMatch(/^[A-Z0-9-]+$/);
      expect(await successFlash(applicant)).toBe(t(LANG, 'onboarding:flash.applied', { code: ref }));
      expect((await f.textContent('section.card h1'))!.trim()).toBe(t(LANG, 'onboarding:thanks.title'));
      return ref;
    };
    const refA = await apply('贵州黔灵企业服务有限公司', 1);
    await shot(applicant, 'loop-02-apply-thanks');
    const refB = await apply('花溪通信合作伙伴有限公司', 2);
    // the context speaks zh-CN: Chromium sent its locale as Accept-Language
    expect(applicant.acceptLanguage).toMatch(/^zh-CN\b/);

    // ---- 2. the channel manager reviews, approves, activates and creates the partner's login -------------------
    const mgr = await openAs(browser, base, manager.username, manager.password);
    pages.push(mgr);
    // #15: the public applications reached the manager's inbox, and the applicant's address got the receipt by e-mail
    await Promise.all([mgr.page.waitForURL(/\/notifications$/), mgr.page.click('a.bell')]);
    const submitted = mgr.page.locator('.inbox-item.unread', { has: mgr.page.locator('.inbox-title', { hasText: t(LANG, 'notifications:kind.application.submitted.title', { name: '贵州黔灵企业服务有限公司' }) }) });
    expect(await submitted.count()).toBe(1);
    await Promise.all([mgr.page.waitForURL(/\/onboarding\/applications\/\d+$/), submitted.click()]);
    expect(await mgr.page.textContent('main')).toContain(refA);
    const receipt = await mailTo('contact1@example.cn', new RegExp(refA));
    expect(receipt.subject).toBe(t(LANG, 'notifications:kind.application.received.title', { name: '贵州黔灵企业服务有限公司' }));
    const onboard = async (ref: string, name: string, tier: 'A' | 'B' | 'C', screenshots: boolean): Promise<number> => {
      await visit(mgr, `${base}/onboarding/applications`);
      await Promise.all([mgr.page.waitForNavigation(), mgr.page.click(`table.grid a:text-is("${ref}")`)]);
      expect((await mgr.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'partners:status.applied'));
      const scoreInputs = mgr.page.locator('input[name^="scores["]');
      const n = await scoreInputs.count();
      expect(n).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) {
        const max = Number(await scoreInputs.nth(i).getAttribute('max'));
        await scoreInputs.nth(i).fill(String(max - 1)); // 9 of 10 on every criterion → total 90
      }
      await mgr.page.fill('textarea[name=comments]', '本地服务团队实力较强，已核实客户推荐。');
      await submit(mgr, mgr.page.locator('form[action$="/review"] button[type=submit]'), `scorecard ${ref}`);
      const total = (await mgr.page.textContent('[data-testid=total]'))!.trim();
      expect(total).toMatch(/^90(\.0+)?$/);
      textIs(mgr, 'scorecard flash', await successFlash(mgr), tDeep(LANG, 'onboarding:flash.scorecardSaved', { total, suggestion: 'onboarding:suggestion.approve' }));
      expect((await mgr.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'partners:status.under_review'));
      if (screenshots) await shot(mgr, 'loop-03-review-scorecard');
      await mgr.page.selectOption('select[name=decision]', 'approved');
      await mgr.page.selectOption('select[name=tier]', tier);
      await mgr.page.fill('form[action$="/decide"] input[name=reason]', '评审得分高于通过分数线；贵阳市需要增加服务覆盖。');
      await submit(mgr, mgr.page.locator('form[action$="/decide"] button'), `approve ${ref}`);
      // the certification number is new: read it where the page states it, and find the same one in the flash
      const intro = mgr.page.locator('xpath=//form[contains(@action,"/activate")]/preceding-sibling::p[1]');
      const introText = (await intro.textContent())!.replace((await intro.locator('a').textContent())!, '').trim();
      const { certificationId } = tMatch(introText, 'onboarding:review.activateIntro', { tier }, ['certificationId']);
      expect(await successFlash(mgr)).toBe(t(LANG, 'onboarding:flash.approved', { tier, certificationId }));
      expect((await mgr.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'partners:status.approved'));
      await mgr.page.fill('input[name=contractSignedOn]', TODAY);
      await submit(mgr, mgr.page.locator('form[action$="/activate"] button'), `activate ${ref}`);
      const m = /^\/partners\/(\d+)$/.exec(new URL(mgr.page.url()).pathname);
      expect(m).not.toBeNull();
      expect(await successFlash(mgr)).toBe(t(LANG, 'onboarding:flash.activated', { name }));
      expect((await mgr.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'partners:status.active'));
      expect(await kvValue(mgr.page, t(LANG, 'partners:col.code'))).toBe(ref);
      expect(await kvValue(mgr.page, t(LANG, 'partners:col.certification'), 'span:last-child')).toBe(certificationId);
      expect(await kvValue(mgr.page, t(LANG, 'partners:col.region'), 'span:last-child')).toBe(REGION);
      return Number(m![1]);
    };
    const nameA = '贵州黔灵企业服务有限公司';
    const partnerA = await onboard(refA, nameA, 'B', true);
    await mgr.page.fill('form[action$="/users"] input[name=username]', 'qianling.ops');
    await mgr.page.fill('form[action$="/users"] input[name=displayName]', '黔灵运营部');
    // the manager invites the partner's person (#14): nobody but that person ever knows the password
    await mgr.page.fill('form[action$="/users"] input[name=email]', OPS_EMAIL);
    await submit(mgr, mgr.page.locator('form[action$="/users"] button'), 'invite partner login');
    expect(await successFlash(mgr)).toBe(t(LANG, 'partners:flash.loginInvited', { username: 'qianling.ops', email: OPS_EMAIL }));
    await shot(mgr, 'loop-04-partner-active-with-login');
    // the invitation e-mail, as the SMTP server received it: its link sets the password
    const invitation = await mailTo(OPS_EMAIL, /\/invitation\/[A-Za-z0-9_-]{20,}/);
    expect(invitation.subject).toBe(t(LANG, 'mail:invitation.subject'));
    const invitationPath = /\/invitation\/[A-Za-z0-9_-]{20,}/.exec(invitation.text)![0];
    const newcomer = await openAnonymous(browser);
    pages.push(newcomer);
    await visit(newcomer, `${base}${invitationPath}`);
    await newcomer.page.fill('input[name=password]', PASSWORD_A);
    await newcomer.page.fill('input[name=passwordConfirm]', PASSWORD_A);
    await submit(newcomer, newcomer.page.locator('form[action^="/invitation/"] button[type=submit]'), 'accept invitation');
    expect(new URL(newcomer.page.url()).pathname).toBe('/login');
    expect(await successFlash(newcomer)).toBe(t(LANG, 'auth:link.inviteDone'));
    await visit(mgr, mgr.page.url());
    expect((await rowCells(mgr.page, 'qianling.ops')).slice(0, 3)).toEqual(['qianling.ops', '黔灵运营部', t(LANG, 'partners:detail.loginActive')]);
    const partnerB = await onboard(refB, '花溪通信合作伙伴有限公司', 'A', false);
    const codeA = refA;
    const codeB = refB;

    // ---- 3. customers imported (CSV upload page) and assigned to partner A -------------------------------------
    const customers = [
      { code: 'LOOP-C1', name: '贵州矿业集团有限公司', industry: '采矿业', cls: 'C', stage: 'development' },
      { code: 'LOOP-C2', name: '遵义茶叶出口有限公司', industry: '农业', cls: 'B', stage: 'maturity' },
      { code: 'LOOP-C3', name: '安顺物流有限公司', industry: '物流', cls: 'A', stage: 'decline' },
    ];
    const csv = ['code,name,industry,region,class,stage,partner_code,assigned_from',
      ...customers.map((c) => `${c.code},${c.name},${c.industry},${REGION},${c.cls},${c.stage},${codeA},${YESTERDAY}`)].join('\n');
    await visit(mgr, `${base}/customers/import`);
    await mgr.page.setInputFiles('input[name=file]', { name: '客户.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await submit(mgr, mgr.page.locator('form[enctype="multipart/form-data"] button'), 'customer import');
    // the import runs as a job: its page shows the progress, then the result with a link to the customers
    expect(await finishJob(mgr, 'customer import')).toBe(t(LANG, 'customers:flash.imported', { customers: 3, assignments: 3 }));
    for (const c of customers) {
      const cells = await rowCells(mgr.page, c.code);
      expect(cells.slice(0, 6)).toEqual([c.code, c.name, c.industry, REGION, c.cls, t(LANG, `customers:stage.${c.stage}`)]);
      expect(cells[6]).toContain(codeA);
    }
    await shot(mgr, 'loop-05-customers-imported');
    const customerIds: Record<string, number> = {};
    for (const c of customers) {
      const href = await rowOf(mgr.page, c.code).locator('a[href^="/customers/"]').getAttribute('href');
      customerIds[c.code] = Number(/\/customers\/(\d+)/.exec(href!)![1]);
    }
    // LOOP-C3 renewed its contract: the manager moves it from 衰退期 to 成熟期 on its page, before the checklist exists
    await visit(mgr, `${base}/customers/${customerIds['LOOP-C3']}`);
    const stageForm = mgr.page.locator('form[action$="/stage"]');
    await stageForm.locator('select[name=stage]').selectOption('maturity');
    await stageForm.locator('input[name=stageOn]').fill(TODAY);
    await stageForm.locator('input[name=stageReason]').fill('客户续签三年期数据专线合同，经营回暖。');
    await submit(mgr, stageForm.locator('button[type=submit]'), 'change stage of LOOP-C3');
    expect(await successFlash(mgr)).toBe(t(LANG, 'customers:flash.stageChanged', { stage: t(LANG, 'customers:stage.maturity'), date: TODAY }));
    expect(await kvValue(mgr.page, t(LANG, 'customers:col.stage'))).toBe(t(LANG, 'customers:stage.maturity'));
    const stageRow = await cellsOf(rowOf(mgr.page, t(LANG, 'customers:stage.decline'))); // from, to, effective, recorded, reason
    expect([stageRow[1], stageRow[2], stageRow[4]]).toEqual([t(LANG, 'customers:stage.maturity'), TODAY, '客户续签三年期数据专线合同，经营回暖。']);
    await shot(mgr, 'loop-05b-customer-stage-changed');
    customers[2].stage = 'maturity';

    // ---- 4. the manager generates the quarter's checklist; the partner sees its customers and duties, records work
    await visit(mgr, `${base}/duties?period=${PERIOD}`);
    await submit(mgr, mgr.page.locator('form[action="/duties/generate"] button'), 'generate checklist');
    const generated = tMatch(await finishJob(mgr, 'generate checklist'), 'duties:flash.generated', { period: PERIOD }, ['inserted', 'total']);
    expect(Number(generated.inserted)).toBeGreaterThan(0);
    expect(generated.total).toBe(generated.inserted); // the quarter's first checklist
    expect((await rowCells(mgr.page, codeA))[1]).toBe('3'); // three customers on the completion table
    await shot(mgr, 'loop-06-duties-generated');

    const pa = await openAs(browser, base, 'qianling.ops', PASSWORD_A);
    pages.push(pa);
    await visit(pa, `${base}/my/customers`);
    for (const c of customers) {
      const cells = await rowCells(pa.page, c.code);
      expect([cells[1], cells[3], cells[5]]).toEqual([c.name, REGION, t(LANG, `customers:stage.${c.stage}`)]);
    }
    await shot(pa, 'loop-07-my-customers');
    await visit(pa, `${base}/my/duties`);
    const dutyRows = await pa.page.locator('table.grid tbody tr').count();
    expect(dutyRows).toBeGreaterThan(10);
    expect(await pa.page.textContent('table.grid')).toContain(t(LANG, 'duties:recordType.business_handling'));
    expect(await pa.page.textContent('table.grid')).toContain(t(LANG, 'duties:itemStatus.open'));
    await shot(pa, 'loop-08-my-duties');

    const occurredAt = localDateTime(new Date()); // this minute: not in the future, and today
    const records = [
      { customer: 'LOOP-C1', type: 'visit', description: '季度上门拜访：为信息部介绍产品。' },
      { customer: 'LOOP-C1', type: 'business_handling', description: '开通两条数据专线。' },
      { customer: 'LOOP-C1', type: 'arrears_collected', description: '催缴九月份欠费。', amount: '1200.50' },
      { customer: 'LOOP-C2', type: 'sale', description: '销售云总机套餐一套。' },
    ];
    for (const r of records) {
      await visit(pa, `${base}/my/records/new`);
      await pa.page.selectOption('select[name=customerId]', String(customerIds[r.customer]));
      await pa.page.selectOption('select[name=recordType]', r.type);
      await pa.page.fill('input[name=occurredAt]', occurredAt);
      await pa.page.fill('textarea[name=description]', r.description);
      await pa.page.fill('input[name=outcome]', '已完成');
      if (r.amount) await pa.page.fill('input[name=amount]', r.amount);
      await submit(pa, pa.page.locator('form[action="/my/records"] button'), `record ${r.type}`);
      const flash = await successFlash(pa);
      if (flash !== t(LANG, 'duties:flash.recordSaved')) expect(Number(tMatch(flash, 'duties:flash.recordTicked', {}, ['ticked']).ticked)).toBeGreaterThan(0);
    }
    expect(await pa.page.locator('table.grid tbody tr').count()).toBe(records.length);
    for (const r of records) {
      const cells = await rowCells(pa.page, r.description);
      expect(cells[1]).toContain(r.customer);
      expect(cells[2]).toBe(t(LANG, `duties:recordType.${r.type}`));
      expect(cells[5]).toBe(r.amount ? fmt(r.amount) : '');
    }
    await shot(pa, 'loop-09-my-records');
    // #15: the visit sheet signed by the customer is a real file on the visit's record: the partner uploads it, the
    // channel manager downloads the same bytes under its Chinese name, another partner is refused as if it did not exist
    const visitRow = pa.page.locator('table.grid tbody tr', { hasText: records[0].description });
    await Promise.all([pa.page.waitForURL(/\/documents\/on\/service_record\/\d+$/), visitRow.locator('a[href^="/documents/on/service_record/"]').click()]);
    const recordDocs = new URL(pa.page.url()).pathname;
    const sheetName = '上门拜访签字单.pdf';
    const sheet = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    await pa.page.setInputFiles('input[type=file]', { name: sheetName, mimeType: 'application/pdf', buffer: sheet });
    await submit(pa, pa.page.locator('form[enctype="multipart/form-data"] button[type=submit]'), 'upload visit sheet');
    expect(await successFlash(pa)).toBe(t(LANG, 'documents:flash.uploaded', { name: sheetName }));
    await visit(mgr, `${base}${recordDocs}`);
    const fileHref = await mgr.page.locator('a[download]', { hasText: sheetName }).first().getAttribute('href');
    const downloaded = await mgr.page.context().request.get(`${base}${fileHref}`);
    expect(downloaded.status()).toBe(200);
    expect(Buffer.compare(await downloaded.body(), sheet)).toBe(0);
    expect(downloaded.headers()['content-disposition']).toContain(encodeURIComponent(sheetName));
    const outsider = await app.createUser('partner', { partnerId: partnerB });
    const ob = await openAs(browser, base, outsider.username, outsider.password); // not checked for console errors: its 404s are the point
    expect((await ob.page.goto(`${base}${fileHref}`))?.status()).toBe(404);
    expect((await ob.page.goto(`${base}${recordDocs}`))?.status()).toBe(404);
    await ob.page.context().close();
    await visit(pa, `${base}/my/customers`);
    const c1 = await rowCells(pa.page, 'LOOP-C1');
    expect(c1[7]).toMatch(/^[1-9]\d* \/ \d+$/); // C1's checklist has ticks now

    // ---- 5. scoring: open the quarter, enter manual scores, submit, confirm within the window -----------------
    await visit(mgr, `${base}/scoring`);
    await mgr.page.fill('form[action="/scoring/open"] input[name=period]', PERIOD);
    await submit(mgr, mgr.page.locator('form[action="/scoring/open"] button'), 'open scoring');
    expect(await successFlash(mgr)).toBe(t(LANG, 'scoring:flash.opened', { period: PERIOD, created: 2 })); // partners A and B
    const sheetRow = mgr.page.locator('table.grid tbody tr', { hasText: codeA });
    expect((await sheetRow.locator('.badge').textContent())!.trim()).toBe(t(LANG, 'scoring:status.draft'));
    await Promise.all([mgr.page.waitForNavigation(), sheetRow.locator('a[href^="/scoring/sheets/"]').click()]);
    expect(await mgr.page.textContent('h1')).toBe(t(LANG, 'scoring:sheet.heading', { code: codeA, name: nameA, period: PERIOD }));
    await mgr.page.fill('input[name=score_PROFESSIONAL_QUALITY]', '72.5');
    await mgr.page.fill('input[name=comment_PROFESSIONAL_QUALITY]', '业务办理规范基本落实');
    await mgr.page.fill('input[name=score_SERVICE_ATTITUDE]', '80');
    await submit(mgr, mgr.page.locator('form#lines button[type=submit]'), 'save scores');
    expect(await successFlash(mgr)).toBe(t(LANG, 'scoring:flash.saved'));
    // Y from the sheet's own lines: Σ weight × score / 100, 2 decimals half away from zero
    const lines: { code: string; name: string; weight: string; score: string; inputs: string }[] = [];
    const sheetRows = mgr.page.locator('form#lines table.grid tbody tr');
    for (let i = 0; i < (await sheetRows.count()); i++) {
      const tds = sheetRows.nth(i).locator('td');
      const input = tds.nth(5).locator('input');
      const code = (await tds.nth(0).locator('.muted').textContent())!.trim();
      lines.push({
        code, name: (await tds.nth(0).textContent())!.replace(code, '').trim(), weight: (await tds.nth(2).textContent())!.trim(),
        score: ((await input.count()) ? await input.inputValue() : (await tds.nth(5).textContent())!).trim(), inputs: (await tds.nth(4).textContent())!.trim(),
      });
    }
    expect(lines.map((l) => l.code)).toEqual(['DUTY_COMPLETION', 'COMPLAINT_TIMELINESS', 'RECORD_TIMELINESS', 'PROFESSIONAL_QUALITY', 'SERVICE_ATTITUDE', 'COMPLIANCE']);
    for (const l of lines) expect(l.name).toBe(t(LANG, `scoring:indicator.${l.code}`));
    const completion = tMatch(lines[0].inputs, 'scoring:inputs.dutyCompletion', {}, ['required', 'fulfilled']);
    expect(Number(completion.fulfilled)).toBeGreaterThan(0);
    expect(Number(completion.fulfilled)).toBeLessThan(Number(completion.required));
    expect(lines[0].score).toBe(new Decimal(completion.fulfilled).div(completion.required).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
    expect(lines[2].inputs).toBe(t(LANG, 'scoring:inputs.recordTimeliness', { total: records.length, onTime: records.length }));
    expect(lines[5].inputs).toBe(t(LANG, 'scoring:inputs.noViolations'));
    const y = lines.reduce((s, l) => s.plus(new Decimal(l.weight).times(l.score)), new Decimal(0)).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
    expect(Number(y)).toBeLessThan(90); // so the statement shows P = Y/90, not P = 1
    const p6 = new Decimal(y).div(90).toFixed(6);
    expect(await kvValue(mgr.page, t(LANG, 'scoring:sheet.scoreY'))).toBe(y);
    await shot(mgr, 'loop-10-score-sheet-draft');
    await submit(mgr, mgr.page.locator('form[action$="/submit"] button'), 'submit sheet');
    expect(await successFlash(mgr)).toBe(t(LANG, 'scoring:flash.submit'));
    // the partner has 7 days to dispute; the UI offers "confirm within the window" with a reason
    await mgr.page.check('form[action$="/confirm"] input[name=withinWindow]');
    await mgr.page.fill('form[action$="/confirm"] input[name=reason]', '合作伙伴已与我们一起核对考核表并表示认可。');
    await submit(mgr, mgr.page.locator('form[action$="/confirm"] button'), 'confirm sheet');
    expect(await successFlash(mgr)).toBe(t(LANG, 'scoring:flash.confirm'));
    expect((await mgr.page.textContent('p .badge'))!.trim()).toBe(t(LANG, 'scoring:status.confirmed'));
    expect(await kvValue(mgr.page, t(LANG, 'scoring:sheet.scoreY'))).toBe(y);
    expect(new Decimal(await kvValue(mgr.page, t(LANG, 'scoring:sheet.coefficientP'))).toFixed(6)).toBe(p6);
    await shot(mgr, 'loop-11-score-sheet-confirmed');

    // ---- 6. finance: accrual import, run, preview, approve, export ------------------------------------------
    const accruals = [
      { customer: 'LOOP-C1', product: '数据专线', amount: '12345.67' },
      { customer: 'LOOP-C2', product: '云总机', amount: '2000.00' },
      { customer: 'LOOP-C3', product: 'IDC 托管', amount: '999.99' },
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
    await importForm.locator('input[name=file]').setInputFiles({ name: '应计酬金.csv', mimeType: 'text/csv', buffer: Buffer.from(accrualCsv) });
    await submit(fin, importForm.locator('button'), 'accrual import');
    const imported = tMatch(await finishJob(fin, 'accrual import'), 'settlement:flash.imported', { count: 3, period: PERIOD }, ['total', 'id']);
    expect(amountOf(imported.total)).toBe(accrued);
    textIs(fin, 'accrual import flash total (money format)', imported.total, yuan(accrued));
    const importRow = await cellsOf(rowOf(fin.page, imported.id)); // 应计酬金导入记录: #, period, file, lines, total
    expect(importRow.slice(0, 2)).toEqual([imported.id, PERIOD]);
    expect(importRow.slice(3, 5)).toEqual(['3', fmt(accrued)]);
    textIs(fin, 'accrual import file name', importRow[2], '应计酬金.csv');
    await fin.page.fill('form[action="/settlement/run"] input[name=period]', PERIOD);
    await submit(fin, fin.page.locator('form[action="/settlement/run"] button'), 'run batch');
    const ran = await finishJob(fin, 'run batch');
    const batchPath = new URL(fin.page.url()).pathname;
    expect(batchPath).toMatch(/^\/settlement\/batches\/\d+$/);
    const batchId = batchPath.split('/').pop()!;
    const created = tMatch(ran, 'settlement:flash.batchCreated', { id: batchId }, ['count', 'total', 'seconds']);
    expect(amountOf(created.total)).toBe(pay); // partner A is the only one with accruals
    textIs(fin, 'batch run flash total (money format)', created.total, yuan(pay));
    expect(created.count).toBe('1');
    expect((await fin.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'settlement:batchStatus.draft'));
    const preview = await rowCells(fin.page, codeA);
    // Partner, Lines, Accrued, Y, P, Base, Quality, Withheld, Adjustments, Total pay
    expect(preview.slice(1, 5)).toEqual(['3', fmt(accrued), y, p6]);
    expect(preview[5]).toBe(fmt(basePay));
    expect(preview[6]).toBe(fmt(qualityPay));
    expect(preview[9]).toBe(fmt(pay));
    await shot(fin, 'loop-12-batch-preview');
    // the maker cannot approve: the checker (a second finance user) opens the same batch and approves it
    const chk = await openAs(browser, base, checker.username, checker.password);
    pages.push(chk);
    // #15: the checker is asked in the inbox; the notification leads to the batch
    await Promise.all([chk.page.waitForURL(/\/notifications$/), chk.page.click('a.bell')]);
    const asked = chk.page.locator('.inbox-item.unread', { has: chk.page.locator('.inbox-title', { hasText: `#${batchId}` }) });
    expect(await asked.count()).toBe(1);
    await Promise.all([chk.page.waitForURL(new RegExp(`${batchPath}$`)), asked.click()]);
    await visit(chk, `${base}${batchPath}`);
    expect(await kvValue(chk.page, t(LANG, 'money:fourEyes.maker'))).toBe(finance.username);
    await chk.page.fill('form[action$="/approve"] input[name=comment]', '已与应计酬金控制合计核对一致。');
    await submit(chk, chk.page.locator('form[action$="/approve"] button'), 'approve batch');
    expect(await successFlash(chk)).toBe(t(LANG, 'settlement:flash.approved', { id: batchId }));
    expect((await chk.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'settlement:batchStatus.approved'));
    expect(await kvValue(chk.page, t(LANG, 'money:fourEyes.approvedBy'))).toMatch(new RegExp(`^${checker.username} · `));
    await visit(fin, fin.page.url());
    const [download] = await Promise.all([fin.page.waitForEvent('download'), fin.page.click('form[action$="/export"] button')]);
    const payout = readFileSync((await download.path())!, 'utf8');
    const payoutLine = payout.split(/\r?\n/).find((l) => l.startsWith(codeA));
    expect(payoutLine).toBeDefined();
    expect(payoutLine!.split(',').slice(-1)[0]).toBe(pay);
    await visit(fin, fin.page.url());
    expect((await fin.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'settlement:batchStatus.exported'));
    await shot(fin, 'loop-13-batch-exported');

    // ---- 7. the partner opens its statement and sees the formula with its numbers ----------------------------
    await visit(pa, `${base}/my/statements`);
    const statementRow = await rowCells(pa.page, PERIOD);
    expect(statementRow.slice(1, 4)).toEqual(['3', yuan(accrued), yuan(pay)]);
    expect(statementRow[4]).toContain('审批'); // its state in the partner's words: approved on DATE (exported is not paid yet)
    await Promise.all([pa.page.waitForNavigation(), pa.page.click(`table.grid a:text-is("${PERIOD}")`)]);
    // the rule, then each batch line: 实得酬金 = 应计酬金 × 90% + 应计酬金 × 10% × P with the numbers
    expect((await pa.page.locator('p.formula').first().textContent())!.trim()).toBe(t(LANG, 'settlement:statement.formulaRule'));
    const card = pa.page.locator('.card', { has: pa.page.locator('ul.kv') }).first();
    const batchLine = (await card.locator('p').first().textContent())!.trim();
    const batchLabel = tDeep(LANG, 'settlement:statement.batchLabel', { id: batchId, kind: 'settlement:batchKind.regular', status: 'settlement:batchStatus.exported' });
    expect(batchLine.startsWith(`${batchLabel} · `)).toBe(true);
    expect(tMatch(batchLine.slice(batchLabel.length + 3), 'settlement:statement.formulaVersion', {}, ['version']).version).toMatch(/\S/);
    const formulas = card.locator('p.formula');
    expect((await formulas.nth(0).textContent())!.trim()).toBe(t(LANG, 'settlement:statement.formulaNumbers', { accrued: fmt(accrued), p: p6, total: yuan(pay) }));
    expect((await formulas.nth(1).textContent())!.trim()).toBe(t(LANG, 'settlement:statement.pRatio', { y, p: p6 }));
    expect(await kvValue(card, t(LANG, 'glossary:scoreY'))).toBe(y);
    expect(await kvValue(card, t(LANG, 'glossary:coefficientP'))).toBe(p6);
    expect(await kvValue(card, t(LANG, 'settlement:statement.accruedLines', { count: 3 }))).toBe(yuan(accrued));
    expect(await kvValue(card, t(LANG, 'settlement:statement.basePay'))).toBe(yuan(basePay));
    expect(await kvValue(card, t(LANG, 'settlement:statement.qualityPay'))).toBe(yuan(qualityPay));
    expect(await kvValue(card, t(LANG, 'settlement:statement.totalPay'))).toBe(yuan(pay));
    expect((await pa.page.locator('main > p').last().textContent())!.trim()).toBe(t(LANG, 'settlement:statement.grandTotalLine', { period: PERIOD, amount: yuan(pay) }));
    await shot(pa, 'loop-14-partner-statement');

    // ---- 7b. the partner confirms the statement (对账确认) and uploads its invoice; the checker accepts it and
    //          records the bank's payment reference; the partner then reads "paid on DATE with reference REF" ------
    await submit(pa, pa.page.locator('form[action$="/confirm"] button'), 'confirm statement');
    expect(await successFlash(pa)).toBe(t(LANG, 'settlement:flash.statementConfirmed', { period: PERIOD }));
    expect(await pa.page.locator('form[action$="/confirm"]').count()).toBe(0); // confirmed once: no second confirmation
    const invoiceForm = pa.page.locator('form[action^="/my/invoices/"]').first();
    expect(await invoiceForm.locator('input[name=amount]').inputValue()).toBe(pay); // prefilled with the statement's total pay
    await invoiceForm.locator('input[name=invoiceNo]').fill('04400190011');
    await invoiceForm.locator('input[name=invoiceDate]').fill(TODAY);
    await invoiceForm.locator('input[name=taxRate]').fill('6');
    await invoiceForm.locator('input[name=file]').setInputFiles({ name: '增值税发票.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n') });
    await submit(pa, invoiceForm.locator('button'), 'upload invoice');
    expect(await successFlash(pa)).toBe(t(LANG, 'invoices:flash.submitted'));
    await shot(pa, 'loop-14b-statement-confirmed-invoice');
    await visit(chk, `${base}/invoices?batch=${batchId}`);
    const invoiceRow = chk.page.locator('table.grid tbody tr', { hasText: codeA }).first();
    expect(await invoiceRow.textContent()).toContain('04400190011');
    await invoiceRow.locator('select[name=decision]').selectOption('accept');
    await submit(chk, invoiceRow.locator('form[action$="/check"] button'), 'accept invoice');
    const [{ id: invoiceId }] = await app.db.query(`SELECT i.id FROM settlement_invoice i JOIN settlement_line l ON l.id = i.line_id WHERE l.batch_id = $1`, [batchId]);
    expect(await successFlash(chk)).toBe(t(LANG, 'invoices:flash.accepted', { id: invoiceId }));
    await visit(chk, `${base}${batchPath}`);
    await chk.page.fill('#pay-form input[name=comment]', 'ICBC-20261128-0001');
    await submit(chk, chk.page.locator('#pay-form button'), 'record payment');
    expect(await successFlash(chk)).toBe(t(LANG, 'settlement:flash.linesPaidBatchPaid', { id: batchId, count: 1 }));
    expect((await chk.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'settlement:batchStatus.paid'));
    await shot(chk, 'loop-14c-batch-paid');
    await visit(pa, `${base}/my/statements`);
    const paidRow = await rowCells(pa.page, PERIOD);
    expect(paidRow[4]).toContain('ICBC-20261128-0001');

    // ---- 8. a major violation → exit proposal → approval → handover to partner B → exit completed -----------
    await visit(mgr, `${base}/violations/new?partnerId=${partnerA}`);
    await mgr.page.fill('input[name=occurredOn]', TODAY);
    const kindOption = mgr.page.locator('select[name=kindId] option', { hasText: t(LANG, 'violations:kind.overcharging') });
    const kindValue = await kindOption.getAttribute('value');
    // 违规收费 · 严重 · 扣 N 分 · 扣款 ¥X: the penalty the final settlement must deduct
    const kind = tMatch((await kindOption.textContent())!, 'violations:new.kindOptionPenalty', { name: t(LANG, 'violations:kind.overcharging') }, ['severity', 'points', 'penalty']);
    expect(kind.penalty).toMatch(/^¥[\d,]+\.\d{2}$/);
    await mgr.page.selectOption('select[name=kindId]', kindValue!);
    await mgr.page.fill('input[name=customerId]', String(customerIds['LOOP-C2']));
    await mgr.page.fill('textarea[name=description]', '向客户收取了价目表之外的开通费。');
    await mgr.page.fill('textarea[name=evidenceNames]', '发票-2026-11.pdf');
    await submit(mgr, mgr.page.locator('form[action="/violations"] button'), 'record violation');
    const violationId = new URL(mgr.page.url()).pathname.split('/').pop()!;
    const recorded = tMatch(await successFlash(mgr), 'violations:flash.recorded', { id: violationId }, ['date']);
    expect(recorded.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await shot(mgr, 'loop-15-violation');
    // the partner is told (#15): the bell counts it, the inbox links to the violation, and an e-mail went to the login's address
    await visit(pa, `${base}/`);
    expect(Number(await pa.page.textContent('a.bell .bell-count'))).toBeGreaterThanOrEqual(1);
    await Promise.all([pa.page.waitForURL(/\/notifications$/), pa.page.click('a.bell')]);
    const violationTitle = t(LANG, 'notifications:kind.violation.recorded.title', { id: violationId, kindName: t(LANG, 'violations:kind.overcharging') });
    const told = pa.page.locator('.inbox-item.unread', { has: pa.page.locator('.inbox-title', { hasText: violationTitle }) });
    expect(await told.count()).toBe(1);
    await Promise.all([pa.page.waitForURL(new RegExp(`/my/violations/${violationId}$`)), told.click()]);
    await shot(pa, 'loop-15b-partner-follows-the-notification');
    const violationMail = await mailTo(OPS_EMAIL, new RegExp(`/my/violations/${violationId}`));
    expect(violationMail.subject).toContain(`#${violationId}`);

    await visit(mgr, `${base}/exits`);
    if (!(await mgr.page.locator('table.grid tbody tr', { hasText: codeA }).count())) {
      await submit(mgr, mgr.page.locator('form[action="/exits/evaluate"] button'), 'evaluate exits');
    }
    const proposalRow = mgr.page.locator('table.grid tbody tr', { hasText: codeA });
    expect(await proposalRow.count()).toBe(1);
    expect((await proposalRow.locator('.badge').textContent())!.trim()).toBe(t(LANG, 'exit:status.proposed'));
    expect(await proposalRow.textContent()).toContain(t(LANG, 'exit:trigger.major_violation'));
    await Promise.all([mgr.page.waitForNavigation(), proposalRow.locator('td a').first().click()]);
    const evidence = await cellsOf(rowOf(mgr.page, violationId)); // #, date, kind, description, response, status
    expect(evidence.slice(0, 2)).toEqual([violationId, TODAY]);
    textIs(mgr, 'violation kind on the exit proposal', evidence[2], t(LANG, 'violations:kind.overcharging'));
    expect(evidence[5]).toBe(t(LANG, 'exit:violationStatus.recorded'));
    await shot(mgr, 'loop-16-exit-proposal');
    await mgr.page.fill('form[action$="/approve"] textarea[name=reason]', '重大违规（违规收费）已与客户核实。');
    await submit(mgr, mgr.page.locator('form[action$="/approve"] button'), 'approve exit');
    expect(new URL(mgr.page.url()).pathname).toMatch(/^\/exits\/\d+\/handover$/);
    expect(await successFlash(mgr)).toBe(t(LANG, 'exit:flash.approved'));
    const proposalPath = new URL(mgr.page.url()).pathname.replace(/\/handover$/, '');
    expect(await mgr.page.locator('table.grid tbody tr').count()).toBe(customers.length);

    for (let i = 0; i < customers.length; i++) {
      const form = mgr.page.locator('form[action$="/assign"]').first();
      const option = form.locator(`select[name=partnerId] option[value="${partnerB}"]`);
      expect(await option.isDisabled()).toBe(false);
      await form.locator('select[name=partnerId]').selectOption(String(partnerB));
      await form.locator('input[name=effectiveOn]').fill(TODAY);
      await submit(mgr, form.locator('button'), `hand over customer ${i + 1}`);
      expect(await successFlash(mgr)).toBe(t(LANG, 'exit:flash.handedOver'));
    }
    expect(await mgr.page.locator('form[action$="/assign"]').count()).toBe(0);
    for (let i = 0; i < customers.length; i++) {
      const form = mgr.page.locator('form[action$="/checklist"]').nth(i);
      for (const box of ['documentsTransferred', 'openRecordsTransferred', 'arrearsListTransferred', 'receiverAcknowledged']) await form.locator(`input[name=${box}]`).check();
      await form.locator('input[name=customerInformedOn]').fill(TODAY);
      await submit(mgr, form.locator('button'), `handover checklist ${i + 1}`);
      expect(await successFlash(mgr)).toBe(t(LANG, 'exit:flash.checklistSaved'));
    }
    expect(await mgr.page.textContent('main > p')).toContain(t(LANG, 'exit:handover.progress', { done: customers.length, total: customers.length }));
    expect(await mgr.page.locator('p.tone-bad').count()).toBe(0); // no "暂不能完成：…" refusal
    await shot(mgr, 'loop-17-handover-done');
    // the partner's response window (EXIT_RESPONSE_DAYS, #16) has passed: the proposal is dated back, as time would
    await app.db.query(`UPDATE exit_proposal SET proposed_at = proposed_at - interval '30 days' WHERE id = $1`, [Number(proposalPath.split('/').pop())]);
    await submit(mgr, mgr.page.locator(`form[action="${proposalPath}/complete"] button`), 'complete exit');
    const completed = tMatch(await successFlash(mgr), 'exit:flash.completed', { count: 1 }, ['batch']);
    expect(await mgr.page.textContent('h1')).toContain(codeA);
    expect((await mgr.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'exit:partnerStatus.exited'));
    const finalBatch = (await kvValue(mgr.page, t(LANG, 'exit:col.finalBatch'))).replace(/^#/, '');
    expect(Number(finalBatch)).toBeGreaterThan(0);
    expect(completed.batch.replace(/^#/, '')).toBe(finalBatch);
    const loginRow = await rowCells(mgr.page, 'qianling.ops');
    const { reason: deactivatedReason } = tMatch(loginRow[1], 'exit:archive.deactivated', {}, ['reason']);
    await shot(mgr, 'loop-18-exit-archive');

    // finance sees the final settlement batch the exit created
    await visit(fin, `${base}/settlement/batches/${finalBatch}`);
    expect(await fin.page.textContent('h1')).toContain(t(LANG, 'settlement:batchKind.final'));
    expect((await fin.page.textContent('h1 .badge'))!.trim()).toBe(t(LANG, 'settlement:batchStatus.draft'));
    // everything accrued was settled in the regular batch; the violation's penalty is deducted, and what the partner
    // cannot pay is carried forward
    expect(await kvValue(fin.page, t(LANG, 'settlement:col.accrued'))).toBe(yuan('0.00'));
    expect(await kvValue(fin.page, t(LANG, 'settlement:col.adjustments'))).toBe(`-${kind.penalty}`);
    expect(await kvValue(fin.page, t(LANG, 'settlement:col.totalPay'))).toBe(yuan('0.00'));
    expect(await kvValue(fin.page, t(LANG, 'settlement:col.carryForward'))).toBe(`-${kind.penalty}`);
    await shot(fin, 'loop-19-final-settlement-batch');

    // every customer is now held by partner B
    await visit(mgr, `${base}/customers`);
    for (const c of customers) expect((await rowCells(mgr.page, c.code))[6]).toContain(codeB);

    // the exited partner's login is refused (its open session has ended too)
    const stale = await pa.page.goto(`${base}/my/customers`);
    expect(new URL(pa.page.url()).pathname).toBe('/login');
    expect(stale?.status()).toBeLessThan(500);
    await pa.page.fill('input[name=username]', 'qianling.ops');
    await pa.page.fill('input[name=password]', PASSWORD_A);
    await Promise.all([pa.page.waitForNavigation(), pa.page.click('form[action="/login"] button[type=submit]')]);
    expect(new URL(pa.page.url()).pathname).toBe('/login');
    expect((await pa.page.textContent('.flash-error'))!.trim()).toBe(t(LANG, 'auth:errors.deactivatedWithReason', { reason: deactivatedReason }));
    await shot(pa, 'loop-20-exited-login-refused');

    for (const p of pages) expect(p.serverErrors).toEqual([]);
    for (const p of pages) expect(p.acceptLanguage).toMatch(/^zh-CN\b/);
    // every page the test saw reads in Chinese (apart from codes and the data typed in), and says what the catalogues say
    const latinWords = [...new Set(pages.flatMap((p) => p.latinWords))];
    expect({ textIssues, latinWords }).toEqual({ textIssues: [], latinWords: [] });
  }, 300_000);
});

/** how the pages print money: thousands separators, 2 decimals */
function fmt(amount: string): string {
  return money(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** the amount in a printed money text (¥, thousands separators dropped), as a 2-decimal string */
function amountOf(text: string): string {
  return new Decimal(text.replace(/[¥,\s]/g, '')).toFixed(2);
}

/** how the pages print totals: ¥ and the money format */
function yuan(amount: string): string {
  return amount.startsWith('-') ? `-¥${fmt(amount.slice(1))}` : `¥${fmt(amount)}`;
}
