import { Role } from './actor';

/** A region of the reference list as the scope rule needs it. */
export interface ScopeRegion { id: number; name: string; parentId: number | null }

/**
 * The region names a user may see and act on, or null for "everything" (#17). Only channel managers are scoped,
 * and only when regions are assigned to them: a manager with none is province-level (admins and finance see all).
 * An assigned prefecture covers its counties; unknown ids are ignored (a deleted region narrows nothing).
 */
export function regionScope(role: Role, assignedIds: readonly number[], regions: readonly ScopeRegion[]): string[] | null {
  if (role !== 'channel_manager' || !assignedIds.length) return null;
  const ids = new Set(assignedIds);
  const names = regions.filter((r) => ids.has(r.id) || (r.parentId !== null && ids.has(r.parentId))).map((r) => r.name);
  return [...new Set(names)].sort();
}

/** SQL condition "the partner in `partnerIdSql` lies in the scope", the scope bound as the text[] parameter `param`. */
export function partnerInScopeSql(partnerIdSql: string, param: string): string {
  return `${partnerIdSql} IN (SELECT sp.id FROM partner sp WHERE sp.region = ANY(${param}::text[]))`;
}

/** The same where the bound scope may be NULL: everywhere (an unscoped actor), one query text for both. */
export function partnerInOptionalScopeSql(partnerIdSql: string, param: string): string {
  return `(${param}::text[] IS NULL OR ${partnerInScopeSql(partnerIdSql, param)})`;
}

/** Whether an object in `region` lies in the scope (null scope: everything; a scoped user never sees a region-less object). */
export function inRegionScope(scope: readonly string[] | null, region: string | null | undefined): boolean {
  if (scope === null) return true;
  return !!region && scope.includes(region.trim());
}
