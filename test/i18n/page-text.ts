import { loadCatalogues } from '../../src/core/i18n/i18n';

/**
 * What a person reads on a page: text nodes and the attributes a screen reader or a tooltip shows (title,
 * placeholder, aria-label, alt). Scripts, styles, <code>/<pre> blocks (codes, JSON) and form values are left out.
 */
export function visibleText(html: string): string {
  const body = html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<(code|pre|kbd|samp)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ');
  const attrs = [...body.matchAll(/\s(?:title|placeholder|aria-label|alt)="([^"]*)"/gi)].map((m) => m[1]);
  const text = body.replace(/<[^>]+>/g, ' ');
  return decode([text, ...attrs].join(' ')).replace(/\s+/g, ' ').trim();
}

function decode(s: string): string {
  return s.replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`');
}

/** A raw catalogue key shown instead of its text, e.g. "partners:list.title". */
export function rawKeys(text: string): string[] {
  return [...text.matchAll(/\b[a-z][a-zA-Z]*:[a-zA-Z][\w-]*\.[\w.-]+\b/g)].map((m) => m[0]).filter((k) => !/^(https?|mailto|postgres):/.test(k));
}

/** Abbreviations and technical words that stay Latin on a Chinese page. */
const ALLOWED = new Set(['csv', 'xlsx', 'excel', 'pdf', 'api', 'id', 'url', 'email', 'e-mail', 'bom', 'utf', 'gbk', 'gb18030', 'openapi', 'sql', 'ok', 'http', 'https', 'www', 'json', 'tz', 'asia', 'shanghai', 'english']);

let uiWords: Set<string> | undefined;
/** Every word of the English catalogues (the portal's English UI vocabulary) plus common English function words. */
export function englishUiWords(): Set<string> {
  if (uiWords) return uiWords;
  const words = new Set<string>(['the', 'and', 'for', 'with', 'this', 'that', 'not', 'are', 'you', 'your', 'all', 'new', 'add', 'edit', 'delete', 'save', 'submit',
    'cancel', 'back', 'next', 'previous', 'page', 'home', 'sign', 'out', 'name', 'code', 'date', 'status', 'total', 'amount', 'none', 'yes', 'from', 'more', 'less', 'any',
    'filter', 'clear', 'search', 'open', 'closed', 'done', 'due', 'overdue', 'active', 'draft', 'approved', 'paid', 'rejected', 'pending', 'view', 'download', 'upload', 'import', 'export',
    'partner', 'partners', 'customer', 'customers', 'manager', 'finance', 'settlement', 'score', 'scores', 'violation', 'violations', 'exit', 'handover', 'statement', 'statements', 'batch', 'batches',
    'period', 'quarter', 'region', 'tier', 'stage', 'duty', 'duties', 'record', 'records', 'reason', 'note', 'nothing', 'show', 'since', 'until', 'when', 'who', 'what', 'why', 'how']);
  const cats = loadCatalogues();
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') Object.values(v).forEach(walk);
    else if (typeof v === 'string') for (const w of v.replace(/\{\{[^}]+\}\}|\$t\([^)]+\)/g, ' ').toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []) words.add(w.replace(/'s$/, ''));
  };
  walk(cats.en);
  for (const w of ALLOWED) words.delete(w);
  uiWords = words;
  return words;
}

/**
 * English UI words on a zh-CN page. Data is allowed: `dataWords` are the words of names, usernames and codes of the
 * database (a partner may well be called "Guiyang Big Data"), and anything that looks like a code (ABC-123, P1),
 * an e-mail address, a file name or a URL is ignored.
 */
export function englishWordsOnPage(text: string, dataWords: Set<string>): string[] {
  const ui = englishUiWords();
  const cleaned = text
    .replace(/\S+@\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b[\w-]+\.(csv|xlsx|pdf|jpg|jpeg|png|docx?)\b/gi, ' ')
    .replace(/\b[A-Z0-9]+(?:[-_][A-Z0-9]+)+\b/g, ' ');
  const hits = new Set<string>();
  for (const m of cleaned.match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? []) {
    const w = m.toLowerCase().replace(/'s$/, '');
    if (ALLOWED.has(w) || dataWords.has(w)) continue;
    if (ui.has(w)) hits.add(m);
  }
  return [...hits];
}
