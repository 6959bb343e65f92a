import { Role } from '../auth/actor';

export interface NavLink { href: string; label: string; roles: Role[] }

/** The portal's navigation, one list, filtered by role. */
export const NAV: NavLink[] = [
  { href: '/', label: 'Home', roles: ['admin', 'channel_manager', 'finance', 'partner'] },
  { href: '/partners', label: 'Partners', roles: ['admin', 'channel_manager', 'finance'] },
  { href: '/onboarding/applications', label: 'Applications', roles: ['admin', 'channel_manager'] },
  { href: '/customers', label: 'Customers', roles: ['admin', 'channel_manager'] },
  { href: '/my/customers', label: 'My customers', roles: ['partner'] },
  { href: '/my/duties', label: 'My duties', roles: ['partner'] },
  { href: '/duties', label: 'Duties', roles: ['admin', 'channel_manager'] },
  { href: '/scoring', label: 'Scoring', roles: ['admin', 'channel_manager', 'finance'] },
  { href: '/my/scores', label: 'My scores', roles: ['partner'] },
  { href: '/settlement', label: 'Settlement', roles: ['admin', 'finance'] },
  { href: '/my/statements', label: 'Statements', roles: ['partner'] },
  { href: '/violations', label: 'Violations', roles: ['admin', 'channel_manager'] },
  { href: '/my/violations', label: 'Violations', roles: ['partner'] },
  { href: '/my/exit', label: 'Partnership', roles: ['partner'] },
  { href: '/exits', label: 'Exits', roles: ['admin', 'channel_manager'] },
  { href: '/admin/users', label: 'Users', roles: ['admin'] },
  { href: '/admin/audit', label: 'Audit log', roles: ['admin'] },
];

export function navFor(role: Role | undefined, currentPath: string): (NavLink & { active: boolean })[] {
  if (!role) return [];
  return NAV.filter((l) => l.roles.includes(role)).map((l) => ({
    ...l,
    active: l.href === '/' ? currentPath === '/' : currentPath === l.href || currentPath.startsWith(l.href + '/'),
  }));
}
