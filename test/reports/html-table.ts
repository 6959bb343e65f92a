/** Reads the tables of a rendered page back into text cells (tests only; the markup is the portal's own). */
const decode = (s: string) => s.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&').trim();

function rowsOf(tbody: string): string[][] {
  return [...tbody.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1])));
}

/** The body rows of the chart table of the dashboard panel titled by `key` (null when the panel is absent). */
export function panelTable(html: string, key: string): string[][] | null {
  const at = html.indexOf(`data-panel="${key}"`);
  if (at < 0) return null;
  const end = html.indexOf('</section>', at);
  const section = html.slice(at, end);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section);
  return body ? rowsOf(body[1]) : [];
}

/** The body rows of the first `table.grid` of a page (a report). */
export function gridRows(html: string): string[][] {
  const body = /<table class="grid">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html);
  return body ? rowsOf(body[1]).filter((r) => r.length > 1) : [];
}

/** "1,234.50" → "1234.50" */
export const plain = (s: string) => s.replace(/,/g, '');
