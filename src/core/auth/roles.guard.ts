import { CanActivate, ExecutionContext, ForbiddenException, Injectable, InternalServerErrorException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, Role } from './actor';
import { ALLOW_WHILE_EXITING_KEY, isServiceRoute, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    // bearer-token routes are authorised by the token's scopes in their own guard (a session cookie is never enough there)
    if (isServiceRoute(context)) return true;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (!roles) throw new InternalServerErrorException('auth:errors.noRoles');
    const req = context.switchToHttp().getRequest();
    const user = req.user as Actor | undefined;
    if (!user) throw new UnauthorizedException('auth:errors.signIn');
    if (!roles.includes(user.role)) throw new ForbiddenException({ message: 'auth:errors.wrongRole', params: { roles: roles.map((r) => `common:role.${r}`) } });
    // An exiting partner keeps read access (statements, handover) but changes nothing else.
    if (user.role === 'partner' && user.partnerStatus === 'exiting' && !SAFE_METHODS.has(req.method)
      && !this.reflector.getAllAndOverride<boolean>(ALLOW_WHILE_EXITING_KEY, targets)) {
      throw new ForbiddenException('auth:errors.exitingReadOnly');
    }
    return true;
  }
}
