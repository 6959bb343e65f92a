import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-local';
import { Actor } from './actor';
import { LoginThrottleService } from './login-throttle.service';
import { MfaService } from './mfa.service';
import { needsRehash } from './password.util';
import { toActor, UsersService } from './users.service';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly users: UsersService, private readonly throttle: LoginThrottleService, private readonly mfa: MfaService) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: Request, username: string, password: string): Promise<Actor> {
    const name = String(username ?? '').trim().toLowerCase().slice(0, 64);
    const ip = String(req.ip ?? '');
    // counted before the (slow) password check, atomically: see LoginThrottleService
    const gate = await this.throttle.begin(name, ip);
    if (!gate.allowed) throw new HttpException({ message: 'auth:errors.locked', params: { minutes: gate.retryMinutes } }, HttpStatus.TOO_MANY_REQUESTS);
    const user = await this.users.findForLogin(name);
    const ok = await this.users.checkPassword(user?.passwordHash ?? null, String(password ?? ''));
    if (!user || !ok) {
      await this.throttle.finish(name, ip, false);
      throw new UnauthorizedException('auth:errors.wrongPassword');
    }
    if (!user.active) throw new UnauthorizedException({ message: user.deactivatedReason ? 'auth:errors.deactivatedWithReason' : 'auth:errors.deactivated', params: { reason: user.deactivatedReason } });
    const code = (req.body as Record<string, unknown> | undefined)?.code;
    // the one code field takes a TOTP code or a recovery code (see MfaService.verifySignIn)
    const second = await this.mfa.verifySignIn(toActor(user), code);
    if (second === false) {
      await this.throttle.finish(name, ip, false);
      throw new UnauthorizedException(String(code ?? '').trim() ? 'auth:errors.mfaRefused' : 'auth:errors.mfaNeeded');
    }
    await this.throttle.finish(name, ip, true);
    await this.users.touchLogin(user.id);
    if (needsRehash(user.passwordHash!)) await this.users.replaceHash(user.id, String(password));
    return toActor(user);
  }
}
