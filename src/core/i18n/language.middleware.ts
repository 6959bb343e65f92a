import { NextFunction, Request, Response } from 'express';
import { Actor } from '../auth/actor';
import { DEFAULT_LANGUAGE, Language, LANGUAGES, normaliseLanguage, t, tDeep } from './i18n';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** the language this request is answered in */
      lang: Language;
      /** translates a catalogue key (or passes text through) in the request's language */
      t(key: string, params?: Record<string, unknown>): string;
    }
  }
}

/** The cookie the header's language switch sets (for people who are not signed in, or before they are). */
export const LANGUAGE_COOKIE = 'portal.lang';

function cookieLanguage(req: Request): Language | undefined {
  const m = /(?:^|;\s*)portal\.lang=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? normaliseLanguage(decodeURIComponent(m[1])) : undefined;
}

/** Accept-Language: the first supported language by quality (zh-TW etc. count as Chinese). */
export function acceptLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header.split(',').map((part, i) => {
    const [tag, ...rest] = part.trim().split(';');
    const q = rest.map((r) => /^\s*q=([\d.]+)/.exec(r)).find(Boolean);
    return { lng: normaliseLanguage(tag), q: q ? Number(q[1]) : 1, i };
  }).filter((x) => x.lng && x.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.lng;
}

/** The language of a request: the user's saved preference → the header switch → Accept-Language → zh-CN. */
export function chooseLanguage(req: Request): Language {
  return normaliseLanguage((req.user as Actor | undefined)?.locale) ?? cookieLanguage(req) ?? acceptLanguage(req.headers['accept-language']) ?? DEFAULT_LANGUAGE;
}

export function languageMiddleware(req: Request, res: Response, next: NextFunction): void {
  req.lang = chooseLanguage(req);
  req.t = (key, params) => tDeep(req.lang, key, params);
  res.locals.lang = req.lang;
  // the header's switch, built only when a page renders (API answers never need it)
  Object.defineProperty(res.locals, 'languages', {
    enumerable: true, configurable: true,
    get: () => LANGUAGES.map((code) => ({ code, label: t(code, 'common:language.name'), current: code === req.lang })),
  });
  res.setHeader('Content-Language', req.lang);
  next();
}
