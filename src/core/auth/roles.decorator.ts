import { ExecutionContext, SetMetadata } from '@nestjs/common';
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

export const SERVICE_SCOPE_KEY = 'portal:service-scope';
/** A bearer-token route (set by the integrations module's @ServiceScope): no session, no CSRF, authorised by token scope. */
export const isServiceRoute = (context: ExecutionContext): boolean =>
  !!(Reflect.getMetadata(SERVICE_SCOPE_KEY, context.getHandler()) ?? Reflect.getMetadata(SERVICE_SCOPE_KEY, context.getClass()));
