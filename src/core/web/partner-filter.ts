/**
 * A list's partner filter is typed (the partner's code) rather than picked from a select of every partner: at
 * 10,000 partners that select alone made a list page 100–400 ms (loading and rendering the options; bench:pages).
 * Links may still carry `partnerId`; a typed code that matches no partner must match no rows (the caller uses -1).
 */
export function typedPartnerCode(query: Record<string, unknown> | undefined): string {
  const v = query?.partner;
  return typeof v === 'string' ? v.trim().slice(0, 40).toUpperCase() : '';
}
