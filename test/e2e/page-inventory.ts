import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role } from '../../src/core/auth/actor';
import { pagesFor } from '../support/page-inventory';

/**
 * The browser sweep's view of the page inventory (`test/support/page-inventory.ts`, shared with the every-page
 * language test): each page with a file-name slug and whether it is one of the partner's own pages.
 */
export type PageRole = Role | 'anonymous';

/** who visits: the role, and for a partner user the partner it belongs to */
export interface PageVisitor {
  role: PageRole;
  partnerId?: number | null;
}

export interface PageEntry {
  /** "/partners/:id" */
  path: string;
  /** the concrete URL to open */
  url: string;
  /** file-name friendly: "partners-id", "home" */
  slug: string;
  /** one of the partner's own pages (those must also work on a phone without horizontal scrolling) */
  partnerPage: boolean;
}

/** The pages a partner user lives in (checked for horizontal overflow at phone width). */
export const PARTNER_PAGES = ['/', '/my/customers', '/my/duties', '/my/records', '/my/records/new', '/my/scores', '/my/scores/:id',
  '/my/statements', '/my/statements/:period', '/my/violations', '/my/violations/:id', '/my/exit'];

export function pageSlug(path: string): string {
  const s = path.replace(/^\/+|\/+$/g, '').replace(/:/g, '').replace(/[^A-Za-z0-9]+/g, '-');
  return s || 'home';
}

export async function pageInventory(app: INestApplication, db: DataSource, who: PageVisitor): Promise<PageEntry[]> {
  const pages = await pagesFor(app, db, who.role, who.partnerId ?? null);
  return pages.map((p) => ({ path: p.route, url: p.url, slug: pageSlug(p.route), partnerPage: who.role === 'partner' && PARTNER_PAGES.includes(p.route) }));
}
