import { SetMetadata } from '@nestjs/common';
import { Role } from './actor';

export const ROLES_KEY = 'portal:roles';
export const PUBLIC_KEY = 'portal:public';

/** Every route declares who may use it: @Roles(...) or @Public(). A route with neither is refused (fail closed). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Any signed-in user, whatever the role (the handler itself scopes data to the user). */
export const AnyRole = () => SetMetadata(ROLES_KEY, ['admin', 'channel_manager', 'finance', 'partner']);

export const ALLOW_WHILE_EXITING_KEY = 'portal:allow-while-exiting';
/** A state-changing route a partner user may still use while the partner is exiting (handover work). */
export const AllowWhileExiting = () => SetMetadata(ALLOW_WHILE_EXITING_KEY, true);
