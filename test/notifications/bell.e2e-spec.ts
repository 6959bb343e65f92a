import AxeBuilder from '@axe-core/playwright';
import { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { todayIso } from '../../src/core/period/period.util';
import { ViolationsService } from '../../src/modules/violations/violations.service';
import { newLanguageContext, screenshot, signIn, startAppWithBrowser, VIEWPORTS } from '../e2e/browser';
import { TestApp } from '../support/test-app';

/** In a real browser (zh-CN, phone and desktop): a violation arrives in the partner's bell, the link leads to it, the bell empties; axe finds nothing serious. */
/** WCAG 2 A/AA findings that are serious or critical (as the every-page sweep counts them). */
async function seriousAxe(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('notifications in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => { ({ t, browser, base, close } = await startAppWithBrowser()); });
  afterAll(() => close());

  it.each(Object.entries(VIEWPORTS))('the partner follows the bell to a new violation (%s)', async (name, viewport) => {
    const partner = await t.createPartner();
    const user = await t.createUser('partner', { partnerId: partner.id });
    const manager = await t.createUser('channel_manager');
    const context = await newLanguageContext(browser, base, 'zh-CN', viewport);
    const page = await context.newPage();
    await signIn(page, base, user.username, user.password);
    expect(await page.$('.bell-count')).toBeNull();

    // a minor kind: a major one also starts an exit evaluation, whose proposal would notify the partner too
    const [kind] = await t.db.query(`SELECT id FROM violation_kind WHERE code = 'missing_service'`);
    const v = await t.get(ViolationsService).record({ ...SYSTEM_ACTOR, id: manager.id, role: 'channel_manager' }, { partnerId: partner.id, kindId: kind.id, occurredOn: todayIso(), description: '未按期走访' });
    await page.reload();
    expect(await page.textContent('.bell-count')).toBe('1');
    expect(await page.getAttribute('a.bell', 'aria-label')).toBe('通知：1 条未读');
    await Promise.all([page.waitForURL(/\/notifications$/), page.click('a.bell')]);
    expect(await page.textContent('.inbox-item.unread .inbox-title')).toBe(`违规记录 #${v.id}：未履行服务职责`);
    await screenshot(page, `notifications-inbox-${name}`);
    expect(await seriousAxe(page)).toEqual([]);
    await Promise.all([page.waitForURL(new RegExp(`/my/violations/${v.id}$`)), page.click('.inbox-item.unread')]);
    expect(await page.$('.bell-count')).toBeNull();
    await page.goto(`${base}/notifications/settings`);
    expect(await seriousAxe(page)).toEqual([]);
    await context.close();
  });
});
