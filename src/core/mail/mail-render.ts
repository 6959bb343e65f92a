import hbs from 'hbs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDate, formatDateTime } from '../i18n/format.util';
import { Language, LANGUAGES, tDeep } from '../i18n/i18n';
import { VIEWS_DIR } from '../web/hbs-helpers';

export const MAIL_VIEWS_DIR = join(VIEWS_DIR, 'mail');

export interface RenderedMail { subject: string; text: string; html: string }

/**
 * E-mail templates: `views/mail/<template>.<lang>.html.hbs` and `.txt.hbs`, the HTML wrapped in `layout.html.hbs`;
 * the subject is the catalogue key `mail:<template>.subject` with the same params. A separate Handlebars instance:
 * the text part must not be HTML-escaped, and page helpers (forms, CSRF) mean nothing in a mail.
 */
const engine = hbs.create().handlebars;
type TemplateDelegate = ReturnType<typeof engine.compile>;
engine.registerHelper('t', (key: unknown, ...rest: unknown[]) => {
  const o = rest[rest.length - 1] as { hash: Record<string, unknown>; data: { root: { lang: Language } } };
  return tDeep(o.data.root.lang, String(key ?? ''), o.hash);
});
engine.registerHelper('date', (v: unknown) => (v ? formatDate(v as Date) : ''));
engine.registerHelper('datetime', (v: unknown) => (v ? formatDateTime(v as Date) : ''));

const cache = new Map<string, TemplateDelegate>();
function template(file: string, noEscape: boolean): TemplateDelegate {
  const key = `${file}|${noEscape}`;
  let tpl = cache.get(key);
  if (!tpl) {
    tpl = engine.compile(readFileSync(join(MAIL_VIEWS_DIR, file), 'utf8'), { noEscape, strict: false });
    if (process.env.NODE_ENV === 'production') cache.set(key, tpl);
  }
  return tpl;
}

export function mailLanguage(lang: unknown): Language {
  return (LANGUAGES as readonly string[]).includes(String(lang)) ? (lang as Language) : 'zh-CN';
}

export function templateExists(name: string, lang: Language): boolean {
  return /^[a-z0-9][a-z0-9.-]*$/.test(name) && existsSync(join(MAIL_VIEWS_DIR, `${name}.${lang}.txt.hbs`));
}

export function renderMail(name: string, lang: Language, params: Record<string, unknown>): RenderedMail {
  if (!templateExists(name, lang)) throw new Error(`mail template ${name}.${lang} is missing`);
  const data = { ...params, lang };
  const subject = tDeep(lang, `mail:${name}.subject`, params);
  const text = template(`${name}.${lang}.txt.hbs`, true)(data);
  const htmlFile = `${name}.${lang}.html.hbs`;
  const inner = existsSync(join(MAIL_VIEWS_DIR, htmlFile)) ? template(htmlFile, false)(data)
    : `<pre>${engine.Utils.escapeExpression(text)}</pre>`;
  const html = template('layout.html.hbs', false)({ ...data, subject, body: inner });
  return { subject, text, html };
}
