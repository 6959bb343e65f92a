import i18next, { i18n, TOptions } from 'i18next';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

/** The portal's languages: zh-CN first (the users read Chinese), English second. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** Catalogues: one JSON file per namespace (module) and language, read from the source tree at start-up. */
export const LOCALES_DIR = join(PROJECT_ROOT, 'src', 'core', 'i18n', 'locales');

/** A message key looks like `namespace:path.to.key`; anything else is text that is shown as it is. */
const KEY_SHAPE = /^[a-z][a-zA-Z0-9-]*:[a-zA-Z0-9_.-]+$/;
export const isMessageKey = (text: unknown): text is string => typeof text === 'string' && KEY_SHAPE.test(text);

export type Catalogue = Record<string, unknown>;

export function loadCatalogues(dir = LOCALES_DIR): Record<Language, Record<string, Catalogue>> {
  const out = {} as Record<Language, Record<string, Catalogue>>;
  for (const lng of LANGUAGES) {
    out[lng] = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      out[lng][file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    }
  }
  return out;
}

/** Keys that were asked for but exist in no catalogue (the page test fails on them). */
export const missingKeys = new Set<string>();

let instance: i18n | undefined;

/** The one i18next instance, initialised synchronously from the catalogues on first use. */
export function i18nInstance(): i18n {
  if (instance) return instance;
  const resources = loadCatalogues();
  const inst = i18next.createInstance();
  void inst.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[DEFAULT_LANGUAGE]),
    defaultNS: 'common',
    nsSeparator: ':',
    keySeparator: '.',
    initAsync: false,
    returnNull: false,
    // Handlebars and the JSON encoder escape output; escaping here too would show &amp; on pages.
    interpolation: { escapeValue: false },
    saveMissing: true,
    missingKeyHandler: (lngs, ns, key) => { missingKeys.add(`${lngs.join(',')}|${ns}:${key}`); },
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  instance = inst;
  return inst;
}

export function normaliseLanguage(value: unknown): Language | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'zh' || v.startsWith('zh-') || v.startsWith('zh_')) return 'zh-CN';
  if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) return 'en';
  return undefined;
}

/** Translates a key in a language. Text that is not key-shaped is returned unchanged (names, codes, legacy text). */
export function t(lng: Language | undefined, key: string, params?: Record<string, unknown>): string {
  if (!isMessageKey(key)) return key;
  return i18nInstance().t(key, { ...(params ?? {}), lng: lng ?? DEFAULT_LANGUAGE } as TOptions) as string;
}

/** Translates the values of params that are themselves keys (e.g. a status name inside a sentence). */
export function tDeep(lng: Language | undefined, key: string, params?: Record<string, unknown>): string {
  if (!params) return t(lng, key);
  // a param that is itself a key (or a list of keys) is translated first: {{roles}} ← ['common:role.admin', …]
  const sep = lng === 'en' ? ', ' : '、';
  const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k,
    isMessageKey(v) ? t(lng, v) : Array.isArray(v) ? v.map((x) => (isMessageKey(x) ? t(lng, x) : String(x))).join(sep) : v]));
  return t(lng, key, p);
}

/** The language of the CLI's operator messages: PORTAL_LANG (zh-CN or en), else zh-CN. */
export function cliLanguage(): Language {
  return normaliseLanguage(process.env.PORTAL_LANG) ?? DEFAULT_LANGUAGE;
}
