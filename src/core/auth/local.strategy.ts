import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-local';
import { Actor } from './actor';
import { LoginThrottleService } from './login-throttle.service';
import { needsRehash } from './password.util';
import { toActor, UsersService } from './users.service';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly users: UsersService, private readonly throttle: LoginThrottleService) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: Request, username: string, password: string): Promise<Actor> {
    const name = String(username ?? '').trim().toLowerCase().slice(0, 64);
    const lockedMinutes = await this.throttle.lockedForMinutes(name);
    if (lockedMinutes > 0) {
      throw new HttpException({ message: 'auth:errors.locked', params: { minutes: lockedMinutes } }, HttpStatus.TOO_MANY_REQUESTS);
    }
    const user = await this.users.findForLogin(name);
    const ok = await this.users.checkPassword(user?.passwordHash ?? null, String(password ?? ''));
    await this.throttle.record(name, ok, req.ip ?? '');
    if (!user || !ok) throw new UnauthorizedException('auth:errors.wrongPassword');
    if (!user.active) throw new UnauthorizedException({ message: user.deactivatedReason ? 'auth:errors.deactivatedWithReason' : 'auth:errors.deactivated', params: { reason: user.deactivatedReason } });
    await this.users.touchLogin(user.id);
    if (needsRehash(user.passwordHash)) await this.users.replaceHash(user.id, String(password));
    return toActor(user);
  }
}
