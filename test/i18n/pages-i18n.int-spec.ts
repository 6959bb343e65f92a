import { Role } from '../../src/core/auth/actor';
import { DEMO_PASSWORD, runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { Language, missingKeys } from '../../src/core/i18n/i18n';
import { pagesFor } from '../support/page-inventory';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { englishWordsOnPage, rawKeys, visibleText } from './page-text';

/**
 * Every page of every role, rendered in zh-CN (the default, asked for by nobody) and in English on request. A page
 * fails on a missing catalogue key, a key shown raw, or — in zh-CN — an English UI word (names, codes and numbers
 * from the data aside).
 */
describe('every page of every role in zh-CN and English', () => {
  let t: TestApp;
  let dataWords: Set<string>;
  const roles: { role: Role | 'anonymous'; username?: string }[] = [
    { role: 'anonymous' }, { role: 'admin', username: 'admin' }, { role: 'channel_manager', username: 'manager' }, { role: 'finance', username: 'finance' }, { role: 'partner', username: 'partner1' },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
    // words of the data (names, usernames, codes) may be Latin; they are not UI text
    const rows: { w: string }[] = await t.db.query(`
      SELECT username AS w FROM user_account UNION SELECT display_name FROM user_account
      UNION SELECT name FROM partner UNION SELECT code FROM partner UNION SELECT coalesce(bank_name, '') FROM partner UNION SELECT coalesce(contact_name, '') FROM partner
      UNION SELECT name FROM customer UNION SELECT code FROM customer UNION SELECT coalesce(industry, '') FROM customer
      UNION SELECT name_en FROM region UNION SELECT actor_label FROM audit_log UNION SELECT entity_type FROM audit_log UNION SELECT coalesce(reason, '') FROM audit_log`);
    dataWords = new Set(rows.flatMap((r) => (r.w ?? '').toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []));
  }, 180_000);
  afterAll(() => t?.close());

  async function sessionFor(role: Role | 'anonymous', username: string | undefined, lang: Language | ''): Promise<Session> {
    if (!username) return t.anonymous(lang);
    return t.login(username, DEMO_PASSWORD, lang);
  }

  for (const { role, username } of roles) {
    for (const lang of ['', 'en'] as const) {
      it(`${role}: every page in ${lang || 'zh-CN (default)'}`, async () => {
        const s = await sessionFor(role, username, lang);
        const partnerId = role === 'partner' ? s.user?.partnerId ?? null : null;
        const pages = await pagesFor(t.app, t.db, role, partnerId);
        expect(pages.length).toBeGreaterThan(role === 'anonymous' ? 2 : 5);
        const problems: string[] = [];
        for (const p of pages) {
          missingKeys.clear();
          const res = await s.get(p.url);
          if (res.status !== 200) { problems.push(`${p.url}: HTTP ${res.status}`); continue; }
          const html = res.text;
          const want = lang === 'en' ? 'en' : 'zh-CN';
          if (!html.includes(`<html lang="${want}">`)) problems.push(`${p.url}: <html lang> is not ${want}`);
          for (const k of missingKeys) problems.push(`${p.url}: missing key ${k}`);
          const text = visibleText(html);
          for (const k of rawKeys(text)) problems.push(`${p.url}: raw key ${k}`);
          if (want === 'zh-CN') {
            const english = englishWordsOnPage(text, dataWords);
            if (english.length) problems.push(`${p.url}: English on a zh-CN page: ${english.slice(0, 12).join(', ')}`);
          }
        }
        expect(problems).toEqual([]);
      }, 120_000);
    }
  }
});
