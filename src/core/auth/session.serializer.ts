import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import { Actor } from './actor';
import { UsersService } from './users.service';

/**
 * Only the user id lives in the session (serializeUser, at sign-in). Requests get their user from sessionUser()
 * (session-actor.ts), loaded with the session row; deserializeUser stays for passport's contract and gives the same answer.
 */
@Injectable()
export class SessionSerializer extends PassportSerializer {
  constructor(private readonly users: UsersService) {
    super();
  }
  serializeUser(user: Actor, done: (err: Error | null, id?: string) => void): void {
    done(null, String(user.id));
  }
  deserializeUser(id: string, done: (err: Error | null, user?: Actor | false) => void): void {
    this.users.findActor(Number(id)).then((a) => done(null, a ?? false), (e) => done(e));
  }
}
