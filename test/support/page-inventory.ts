import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role } from '../../src/core/auth/actor';
import { ROUTE_ACCESS } from '../trust/route-access';
import { listRoutes } from '../trust/route-inventory';

/**
 * Every HTML page of the portal, as concrete URLs for a role, with path parameters filled from the demo data set
 * (a partner user gets its own partner's objects). Used by the every-page language test and the browser checks.
 */
export interface PageUrl { route: string; url: string }

// one-time links cannot be looked up (only their hash is stored): test/auth/accounts covers those pages
// /my/partner only redirects to the partner's own page (checked there); /notifications/:id/open redirects to its link
const NOT_PAGES = /^\/(api|health|public)\b|\.csv$|\.xlsx$|\/csv$|^\/(logout|language|my\/partner|notifications\/:id\/open)$|^\/documents\/:id\b|^\/(password\/reset|invitation)\/:token$/;

/** SQL per parameterised page: $1 is the signed-in partner's id (null for staff). One row, the values by name. */
const LOOKUPS: Record<string, { admin?: string; staff?: string; partner?: string; optional?: boolean }> = {
  // a job page is its starter's (and every admin's): staff other than admins have none to open in the demo data
  '/jobs/:id': { admin: `SELECT id FROM pgboss.job ORDER BY created_on LIMIT 1`, staff: `SELECT id FROM pgboss.job WHERE false`, partner: `SELECT j.id FROM pgboss.job j JOIN job_progress p ON p.job_id = j.id JOIN user_account u ON u.id = p.created_by WHERE u.partner_id = $1 LIMIT 1`, optional: true },
  '/documents/on/:ownerKind/:ownerId': { staff: `SELECT 'service_record' AS "ownerKind", id AS "ownerId" FROM service_record ORDER BY id LIMIT 1`, partner: `SELECT 'service_record' AS "ownerKind", id AS "ownerId" FROM service_record WHERE partner_id = $1 ORDER BY id LIMIT 1` },
  '/admin/mail/:id': { staff: `SELECT id FROM mail_outbox ORDER BY id LIMIT 1`, optional: true },
  '/admin/integrations/:id': { staff: `SELECT id FROM service_account ORDER BY id LIMIT 1`, optional: true },
  '/customers/:id': { staff: `SELECT id FROM customer ORDER BY id LIMIT 1` },
  '/complaints/:id': { staff: `SELECT id FROM complaint ORDER BY id LIMIT 1` },
  '/my/complaints/:id': { partner: `SELECT id FROM complaint WHERE partner_id = $1 ORDER BY id LIMIT 1` },
  '/retention/:id': { staff: `SELECT id FROM retention_warning ORDER BY id LIMIT 1` },
  '/my/retention/:id': { partner: `SELECT id FROM retention_warning WHERE partner_id = $1 ORDER BY id LIMIT 1` },
  '/verification/:id': { staff: `SELECT id FROM verification_item ORDER BY id LIMIT 1` },
  '/exits/:id': { staff: `SELECT id FROM exit_proposal ORDER BY (status = 'completed') DESC, id LIMIT 1` },
  '/exits/:id/archive': { staff: `SELECT id FROM exit_proposal WHERE status = 'completed' ORDER BY id LIMIT 1` },
  '/exits/:id/handover': { staff: `SELECT e.id FROM exit_proposal e JOIN handover h ON h.proposal_id = e.id ORDER BY e.id LIMIT 1` },
  '/my/scores/:id': { partner: `SELECT id FROM score_sheet WHERE partner_id = $1 AND status <> 'draft' ORDER BY id DESC LIMIT 1` },
  '/my/statements/:period': { partner: `SELECT b.period FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id WHERE l.partner_id = $1 AND b.status IN ('approved','exported','paid') ORDER BY b.period DESC LIMIT 1` },
  '/my/violations/:id': { partner: `SELECT id FROM violation WHERE partner_id = $1 ORDER BY id LIMIT 1` },
  '/onboarding/applications/:id': { staff: `SELECT a.id FROM onboarding_application a JOIN partner p ON p.id = a.partner_id ORDER BY (p.status = 'active'), a.id LIMIT 1` },
  '/partners/:id': { staff: `SELECT id FROM partner ORDER BY id LIMIT 1`, partner: `SELECT $1::int AS id` },
  '/partners/:id/certificate': { staff: `SELECT id FROM partner WHERE certification_id IS NOT NULL ORDER BY id LIMIT 1`, partner: `SELECT $1::int AS id` },
  '/partners/:id/edit': { staff: `SELECT id FROM partner ORDER BY id LIMIT 1` },
  '/customers/:id/edit': { staff: `SELECT id FROM customer ORDER BY id LIMIT 1` },
  '/scoring/:period': { staff: `SELECT period FROM scoring_period ORDER BY period DESC LIMIT 1` },
  '/scoring/sheets/:id': { staff: `SELECT id FROM score_sheet ORDER BY id LIMIT 1` },
  '/settlement/batches/:id': { staff: `SELECT id FROM settlement_batch ORDER BY id LIMIT 1` },
  '/settlement/statements/:partnerId/:period': { staff: `SELECT l.partner_id AS "partnerId", b.period FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id ORDER BY b.id, l.id LIMIT 1` },
  '/violations/:id': { staff: `SELECT id FROM violation ORDER BY id LIMIT 1` },
  '/support/:id': { staff: `SELECT id FROM support_request ORDER BY (status = 'open') DESC, id LIMIT 1` },
  '/my/support/:id': { partner: `SELECT id FROM support_request WHERE partner_id = $1 ORDER BY (status = 'answered') DESC, id LIMIT 1` },
  '/staff/:id': { staff: `SELECT staff_id AS id FROM staff_certificate ORDER BY id LIMIT 1` },
  '/my/staff/:id': { partner: `SELECT s.id FROM staff_member s WHERE s.partner_id = $1 ORDER BY s.id LIMIT 1` },
  '/verify/:number': { staff: `SELECT number FROM staff_certificate WHERE revoked_at IS NULL ORDER BY id LIMIT 1`, partner: `SELECT number FROM staff_certificate WHERE revoked_at IS NULL ORDER BY id LIMIT 1` },
};

function allowed(route: string, role: Role | 'anonymous'): boolean {
  const access = ROUTE_ACCESS[`GET ${route}`];
  if (!access) return false;
  if (access.roles === 'public') return true;
  return role !== 'anonymous' && access.roles.includes(role);
}

/** The concrete page URLs a role can open; a parameterised page without data to show is an error (the demo set has it all). */
export async function pagesFor(app: INestApplication, db: DataSource, role: Role | 'anonymous', partnerId: number | null = null): Promise<PageUrl[]> {
  const out: PageUrl[] = [];
  for (const r of listRoutes(app)) {
    if (r.method !== 'GET' || NOT_PAGES.test(r.path) || !allowed(r.path, role)) continue;
    if (role === 'anonymous' ? false : r.path === '/login' || r.path.startsWith('/apply')) continue; // public pages are checked anonymously
    if (!r.path.includes(':')) {
      out.push({ route: r.path, url: r.path });
      continue;
    }
    const lookup = LOOKUPS[r.path];
    const sql = role === 'partner' ? lookup?.partner : (role === 'admin' && lookup?.admin) || lookup?.staff;
    if (!sql) throw new Error(`page-inventory: no lookup for ${role} on ${r.path}; add one to LOOKUPS`);
    const [row] = await db.query(sql, sql.includes('$1') ? [partnerId] : []);
    if (!row && lookup?.optional) continue;
    if (!row) throw new Error(`page-inventory: the demo data has nothing for ${r.path} (${role})`);
    out.push({ route: r.path, url: r.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(row[name] ?? row.id))) });
  }
  return out;
}
