import { isMessageKey, LANGUAGES, loadCatalogues, t } from './i18n';

/** Every key path of a catalogue: "a.b.c" → text. */
function flatten(obj: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const cats = loadCatalogues();
  const [first, ...others] = LANGUAGES;

  it('have the same namespaces in every language', () => {
    for (const lng of others) expect(Object.keys(cats[lng]).sort()).toEqual(Object.keys(cats[first]).sort());
  });

  it('have the same keys, no empty text and the same placeholders in every language', () => {
    const problems: string[] = [];
    for (const ns of Object.keys(cats[first])) {
      const base = flatten(cats[first][ns]);
      for (const lng of others) {
        const other = flatten(cats[lng][ns] ?? {});
        for (const k of base.keys()) if (!other.has(k)) problems.push(`${lng} lacks ${ns}:${k}`);
        for (const k of other.keys()) if (!base.has(k)) problems.push(`${first} lacks ${ns}:${k}`);
        for (const [k, v] of base) {
          if (other.has(k) && placeholders(v).join() !== placeholders(other.get(k)!).join()) problems.push(`placeholders differ in ${ns}:${k}`);
        }
      }
      for (const lng of LANGUAGES) for (const [k, v] of flatten(cats[lng][ns] ?? {})) if (!v.trim()) problems.push(`${lng} ${ns}:${k} is empty`);
    }
    expect(problems).toEqual([]);
  });

  it('resolve every nested glossary reference', () => {
    const problems: string[] = [];
    for (const lng of LANGUAGES) {
      for (const ns of Object.keys(cats[lng])) {
        for (const [k, v] of flatten(cats[lng][ns])) {
          for (const m of v.matchAll(/\$t\(([^)]+)\)/g)) {
            if (!isMessageKey(m[1]) || t(lng, m[1]) === m[1].split(':')[1]) problems.push(`${lng} ${ns}:${k} refers to missing ${m[1]}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('zh-CN texts are Chinese (no English sentence left untranslated)', () => {
    const suspicious: string[] = [];
    for (const ns of Object.keys(cats['zh-CN'])) {
      for (const [k, v] of flatten(cats['zh-CN'][ns])) {
        const stripped = v.replace(/\{\{[^}]+\}\}/g, '').replace(/\$t\([^)]+\)/g, '');
        if (/[A-Za-z]{3,}\s+[A-Za-z]{3,}/.test(stripped) && !/[\u4e00-\u9fff]/.test(stripped)) suspicious.push(`${ns}:${k} = ${v}`);
      }
    }
    expect(suspicious).toEqual([]);
  });
});
