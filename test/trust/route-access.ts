import { Role } from '../../src/core/auth/actor';

/**
 * THE declared access table: who may call each route. The matrix test checks that (1) every route of the app is
 * listed here, (2) the code declares the same roles, and (3) the live app answers accordingly for every role.
 * `ok` lists extra statuses accepted for an allowed caller (default: anything but 401, 403 and 5xx).
 */
export type Access = { roles: 'public' | Role[]; ok?: number[]; sessionEnding?: boolean };

const A: Role[] = ['admin'];
const ALL: Role[] = ['admin', 'channel_manager', 'finance', 'partner'];

export const ROUTE_ACCESS: Record<string, Access> = {
  // core
  'GET /': { roles: ALL },
  'GET /health': { roles: 'public' },
  'GET /login': { roles: 'public' },
  'POST /login': { roles: 'public', ok: [401] },
  'POST /logout': { roles: ALL, sessionEnding: true },
  'GET /api/auth/csrf': { roles: 'public' },
  'POST /api/auth/login': { roles: 'public', ok: [401] },
  'POST /api/auth/logout': { roles: ALL, sessionEnding: true },
  'GET /api/auth/me': { roles: ALL },
  'GET /admin/users': { roles: A },
  'POST /admin/users': { roles: A },
  'POST /admin/users/:id/deactivate': { roles: A },
  'POST /admin/users/:id/activate': { roles: A },
  'GET /api/users': { roles: A },
  'POST /api/users': { roles: A },
  'GET /admin/audit': { roles: A },
  'GET /api/audit': { roles: A },
};
