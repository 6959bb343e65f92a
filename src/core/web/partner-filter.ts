/**
 * A list's partner filter is typed (the partner's code) rather than picked from a select of every partner: at
 * 10,000 partners that select alone made a list page 100–400 ms (loading and rendering the options; bench:pages).
 * Links may still carry `partnerId`; a typed code that matches no partner must match no rows (the caller uses -1).
 */
export function typedPartnerCode(query: Record<string, unknown> | undefined): string {
  const v = query?.partner;
  return typeof v === 'string' ? v.trim().slice(0, 40).toUpperCase() : '';
}

/**
 * The partner a list is filtered by: the typed code, else a link's `partnerId`. A typed code that names no partner
 * sets `filter.partnerId` to -1 so that it matches no rows. The lookups are the calling module's own.
 */
export async function resolvePartnerFilter<P extends { id: number }>(
  query: Record<string, unknown> | undefined, filter: { partnerId?: number },
  find: { byCode(code: string): Promise<P | null>; byId(id: number): Promise<P | null> },
): Promise<{ typed: string; partner: P | null }> {
  const typed = typedPartnerCode(query);
  const partner = typed ? await find.byCode(typed) : filter.partnerId ? await find.byId(filter.partnerId) : null;
  if (typed) filter.partnerId = partner?.id ?? -1;
  return { typed, partner };
}
