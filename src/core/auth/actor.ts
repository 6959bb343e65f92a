/** Roles of the portal. A partner user belongs to exactly one partner organisation. */
export const ROLES = ['admin', 'channel_manager', 'finance', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user as the rest of the code sees it (stored in req.user). */
export interface Actor {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  partnerId: number | null;
  /** status of the partner organisation, for partner users (an exiting partner is read-only) */
  partnerStatus?: string | null;
  /** the user's saved language (zh-CN or en); null means "as the browser asks" */
  locale?: string | null;
  /** whether the user signs in with a second factor (TOTP) */
  mfaEnabled?: boolean;
}

/** For work started by the system itself (CLI, scheduled commands). */
export const SYSTEM_ACTOR: Actor = { id: 0, username: 'system', displayName: 'System', role: 'admin', partnerId: null };

export const isStaff = (a: Actor) => a.role !== 'partner';
