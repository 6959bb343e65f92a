import { StaffFilter } from './staff.service';
import { isStaffRole } from './staff.util';

/** A staff list filter from a query string: anything malformed is ignored. */
export function parseStaffFilter(q: Record<string, string>): StaffFilter {
  return {
    partnerId: q.partnerId && /^\d{1,9}$/.test(q.partnerId) ? Number(q.partnerId) : undefined,
    role: isStaffRole(q.role) ? q.role : undefined,
    q: q.q ? q.q.trim().slice(0, 60) || undefined : undefined,
    certified: q.certified === '1' ? true : undefined,
  };
}
