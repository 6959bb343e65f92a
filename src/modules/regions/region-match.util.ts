/** A region as the matcher needs it. */
export interface RegionName { name: string; nameEn: string; aliases: string[]; parent: string | null }

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The list's name for a typed region: the exact name, the English name (with or without "City"/"Prefecture"),
 * or a known alias; case and surrounding spaces do not matter. Null when nothing matches.
 */
export function matchRegion(input: string, regions: readonly RegionName[]): string | null {
  const key = norm(input ?? '');
  if (!key) return null;
  const bare = key.replace(/ (city|prefecture|county|district)$/, '');
  for (const r of regions) {
    const names = [r.name, r.nameEn, ...r.aliases].filter(Boolean).map(norm);
    if (names.includes(key) || names.includes(bare)) return r.name;
  }
  return null;
}

/** Whether a partner serving `served` (a region list such as "遵义市, 贵阳市") covers a customer in `region`, counting a county under its prefecture. */
export function regionCovers(served: string, region: string, regions: readonly RegionName[] = []): boolean {
  const want = matchRegion(region, regions) ?? region.trim();
  const parentOfWant = regions.find((r) => r.name === want)?.parent ?? null;
  return served.split(/[,，、;；]/).map((s) => s.trim()).filter(Boolean).some((s) => {
    const have = matchRegion(s, regions) ?? s;
    return norm(have) === norm(want) || (parentOfWant !== null && have === parentOfWant);
  });
}
