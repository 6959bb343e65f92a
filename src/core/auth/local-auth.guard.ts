import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { SessionsService } from './sessions.service';

/** Checks the credentials and starts the session (passport regenerates the session id: no fixation). */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const ok = (await super.canActivate(context)) as boolean;
    const req = context.switchToHttp().getRequest();
    await super.logIn(req);
    // when it started, from where, with what: for the owner's list of sessions and the absolute lifetime
    SessionsService.stamp(req);
    return ok;
  }
}
