import { CanActivate, ExecutionContext, ForbiddenException, Injectable, InternalServerErrorException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, Role } from './actor';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (!roles) throw new InternalServerErrorException('This route declares no roles; refusing by default');
    const user = context.switchToHttp().getRequest().user as Actor | undefined;
    if (!user) throw new UnauthorizedException('Please sign in');
    if (!roles.includes(user.role)) throw new ForbiddenException(`This page is for ${roles.map((r) => r.replace('_', ' ')).join(', ')} users`);
    return true;
  }
}
