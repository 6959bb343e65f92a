import { Role } from '../auth/actor';

/** label: a catalogue key */
export interface NavLink { href: string; label: string; roles: Role[] }

/** The portal's navigation, one list, filtered by role. */
export const NAV: NavLink[] = [
  { href: '/', label: 'common:nav.home', roles: ['admin', 'channel_manager', 'finance', 'partner'] },
  { href: '/partners', label: 'common:nav.partners', roles: ['admin', 'channel_manager', 'finance'] },
  { href: '/onboarding/applications', label: 'common:nav.applications', roles: ['admin', 'channel_manager'] },
  { href: '/customers', label: 'common:nav.customers', roles: ['admin', 'channel_manager'] },
  { href: '/my/customers', label: 'common:nav.myCustomers', roles: ['partner'] },
  { href: '/my/duties', label: 'common:nav.myDuties', roles: ['partner'] },
  { href: '/duties', label: 'common:nav.duties', roles: ['admin', 'channel_manager'] },
  { href: '/scoring', label: 'common:nav.scoring', roles: ['admin', 'channel_manager', 'finance'] },
  { href: '/my/scores', label: 'common:nav.myScores', roles: ['partner'] },
  { href: '/settlement', label: 'common:nav.settlement', roles: ['admin', 'finance'] },
  { href: '/invoices', label: 'invoices:nav', roles: ['admin', 'finance'] },
  { href: '/my/statements', label: 'common:nav.statements', roles: ['partner'] },
  { href: '/violations', label: 'common:nav.violations', roles: ['admin', 'channel_manager'] },
  { href: '/my/violations', label: 'common:nav.violations', roles: ['partner'] },
  { href: '/complaints', label: 'complaints:nav', roles: ['admin', 'channel_manager'] },
  { href: '/my/complaints', label: 'complaints:nav', roles: ['partner'] },
  { href: '/complaints/timeliness', label: 'complaints:list.timelinessLink', roles: ['finance'] },
  { href: '/retention', label: 'retention:nav', roles: ['admin', 'channel_manager'] },
  { href: '/my/retention', label: 'retention:nav', roles: ['partner'] },
  { href: '/verification', label: 'verification:nav', roles: ['admin', 'channel_manager'] },
  { href: '/my/exit', label: 'common:nav.partnership', roles: ['partner'] },
  { href: '/exits', label: 'common:nav.exits', roles: ['admin', 'channel_manager'] },
  { href: '/support', label: 'support:nav', roles: ['admin', 'channel_manager'] },
  { href: '/my/support', label: 'support:nav', roles: ['partner'] },
  { href: '/staff', label: 'staff:nav', roles: ['admin', 'channel_manager'] },
  { href: '/my/staff', label: 'staff:nav', roles: ['partner'] },
  { href: '/reports', label: 'reports:nav', roles: ['admin', 'channel_manager', 'finance'] },
  { href: '/documents', label: 'documents:nav', roles: ['admin', 'channel_manager', 'finance'] },
  { href: '/admin/users', label: 'common:nav.users', roles: ['admin'] },
  { href: '/admin/jobs', label: 'common:nav.jobs', roles: ['admin'] },
  { href: '/admin/mail', label: 'mail:nav', roles: ['admin'] },
  { href: '/admin/regions', label: 'common:nav.regions', roles: ['admin'] },
  { href: '/admin/audit', label: 'common:nav.audit', roles: ['admin'] },
  { href: '/account', label: 'account:nav', roles: ['admin', 'channel_manager', 'finance', 'partner'] },
];

export function navFor(role: Role | undefined, currentPath: string): (NavLink & { active: boolean })[] {
  if (!role) return [];
  return NAV.filter((l) => l.roles.includes(role)).map((l) => ({
    ...l,
    active: l.href === '/' ? currentPath === '/' : currentPath === l.href || currentPath.startsWith(l.href + '/'),
  }));
}
