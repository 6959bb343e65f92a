import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config.service';
import { MailService } from '../mail/mail.service';
import { hashAccountToken, INVITATION_HOURS, looksLikeToken, newAccountToken, RESET_MINUTES } from './account-token.util';
import { Actor, Role } from './actor';
import { hashPassword } from './password.util';
import { checkPasswordPolicy } from './password-policy.util';
import { RateLimitService } from './rate-limit.service';
import { UserAccount } from './user-account.entity';
import { EMAIL, UsersService } from './users.service';

/** TypeORM answers UPDATE/DELETE … RETURNING with [rows, count] on PostgreSQL. */
export function returnedRows(result: unknown): unknown[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return Array.isArray(result) ? result : [];
}

export type TokenKind = 'invite' | 'reset';
export interface Invitee { username: string; displayName?: string; email: string; role: Role; partnerId?: number | null }
interface TokenHolder { userId: number; username: string; displayName: string; partnerName: string | null }

/**
 * Accounts people manage themselves: invitations (a new login gets a one-time link to set its password; whoever
 * created it never knows it), password resets by e-mail, changing one's own password. Links are one-time, expiring,
 * and stored only as a SHA-256 hash. Setting a password ends every other session of that user.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly rate: RateLimitService,
    private readonly config: AppConfig,
  ) {}

  async invite(actor: Actor, input: Invitee, manager?: EntityManager): Promise<UserAccount> {
    const email = String(input.email ?? '').trim().toLowerCase();
    if (!EMAIL.test(email)) throw new BadRequestException({ message: 'auth:errors.email', field: 'email' });
    const run = async (m: EntityManager) => {
      const user = await this.users.create(actor, { ...input, email, password: undefined }, m);
      await this.sendInvitation(actor, user, m);
      return user;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** A new invitation link for a login that has not set its password yet (the older link stops working). */
  async resendInvitation(actor: Actor, userId: number, scope: { partnerId?: number } = {}): Promise<UserAccount> {
    return this.db.transaction(async (m) => {
      const user = await m.getRepository(UserAccount).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: userId }).getOne();
      if (!user || (scope.partnerId !== undefined && user.partnerId !== scope.partnerId)) throw new NotFoundException('auth:errors.userNotFound');
      if (user.passwordHash !== null || !user.active) throw new BadRequestException('auth:invite.alreadyAccepted');
      await this.sendInvitation(actor, user, m);
      await this.audit.record(actor, { action: 'user.invite.resend', entityType: 'user', entityId: user.id, partnerId: user.partnerId }, m);
      return user;
    });
  }

  private async sendInvitation(actor: Actor, user: UserAccount, m: EntityManager): Promise<void> {
    if (!user.email) throw new BadRequestException({ message: 'auth:errors.email', field: 'email' });
    const { token, id } = await this.newToken(user.id, 'invite', `${INVITATION_HOURS} hours`, actor.id > 0 ? actor.id : null, m);
    await this.mail.queue({
      to: user.email, template: 'invitation', lang: user.locale ?? 'zh-CN', userId: user.id, dedupeKey: `invite:${id}`,
      params: { displayName: user.displayName, username: user.username, inviter: actor.displayName, hours: INVITATION_HOURS, link: this.mail.link(`/invitation/${token}`) },
    }, m);
  }

  /** "Forgot my password": the same answer whatever happens; a mail goes to a matching, active account with an address. */
  async requestReset(login: string, ip: string): Promise<void> {
    const who = String(login ?? '').trim().toLowerCase().slice(0, 254);
    if (!who) return;
    const perIp = await this.rate.hit(`reset-ip:${ip}`, 20, 3600);
    const perLogin = await this.rate.hit(`reset-login:${who}`, 3, 3600);
    if (!perIp.allowed || !perLogin.allowed) return;
    await this.db.transaction(async (m) => {
      const users: UserAccount[] = await m.getRepository(UserAccount).createQueryBuilder('u')
        .where('u.active AND u.email IS NOT NULL AND u.passwordHash IS NOT NULL')
        .andWhere('(lower(u.username) = :who OR lower(u.email) = :who)', { who }).limit(5).getMany();
      for (const user of users) {
        const { token, id } = await this.newToken(user.id, 'reset', `${RESET_MINUTES} minutes`, null, m);
        await this.mail.queue({
          to: user.email!, template: 'password-reset', lang: user.locale ?? 'zh-CN', userId: user.id, dedupeKey: `reset:${id}`,
          params: { displayName: user.displayName, username: user.username, minutes: RESET_MINUTES, link: this.mail.link(`/password/reset/${token}`) },
        }, m);
      }
    });
  }

  /** Whose link this is, while it is unused and unexpired; null otherwise. */
  async tokenHolder(token: unknown, kind: TokenKind): Promise<TokenHolder | null> {
    if (!looksLikeToken(token)) return null;
    const [row] = await this.db.query(
      `SELECT u.id AS "userId", u.username, u.display_name AS "displayName", p.name AS "partnerName"
         FROM account_token t JOIN user_account u ON u.id = t.user_id LEFT JOIN partner p ON p.id = u.partner_id
        WHERE t.token_hash = $1 AND t.kind = $2 AND t.used_at IS NULL AND t.expires_at > now() AND u.active`, [hashAccountToken(token), kind]);
    return row ?? null;
  }

  /** Sets the password through a link (invitation or reset): the link is used up in the same statement that checks it. */
  async usePasswordLink(token: unknown, kind: TokenKind, password: string, confirm: string): Promise<TokenHolder> {
    const holder = await this.tokenHolder(token, kind);
    if (!holder) throw new NotFoundException('auth:link.invalid');
    const hash = await this.newHash(password, confirm, holder);
    await this.db.transaction(async (m) => {
      const used = await m.query(
        `UPDATE account_token SET used_at = now() WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
        [hashAccountToken(token as string), kind]);
      if (!returnedRows(used).length) throw new NotFoundException('auth:link.invalid');
      await this.setPassword(holder.userId, holder.username, hash, m);
      await this.users.revokeSessions([holder.userId], m);
      await this.audit.record({ id: holder.userId, username: holder.username, displayName: holder.displayName, role: 'partner', partnerId: null },
        { action: kind === 'invite' ? 'user.invite.accept' : 'user.password.reset', entityType: 'user', entityId: holder.userId }, m);
    });
    return holder;
  }

  /** Changing one's own password needs the current one; every other session of the user ends. */
  async changePassword(actor: Actor, current: string, password: string, confirm: string, keepSid: string): Promise<number> {
    const user = await this.users.findForLogin(actor.username);
    if (!user || !(await this.users.checkPassword(user.passwordHash, String(current ?? '')))) {
      throw new BadRequestException({ message: 'auth:account.wrongCurrent', field: 'currentPassword' });
    }
    const [partner] = user.partnerId ? await this.db.query(`SELECT name FROM partner WHERE id = $1`, [user.partnerId]) : [];
    const hash = await this.newHash(password, confirm, { username: user.username, displayName: user.displayName, partnerName: partner?.name ?? null });
    return this.db.transaction(async (m) => {
      await this.setPassword(user.id, user.username, hash, m);
      const ended = await this.users.revokeSessions([user.id], m, keepSid);
      await this.audit.record(actor, { action: 'user.password.change', entityType: 'user', entityId: user.id, partnerId: user.partnerId, after: { otherSessionsEnded: ended } }, m);
      return ended;
    });
  }

  private async newHash(password: string, confirm: string, who: { username: string; displayName: string; partnerName: string | null }): Promise<string> {
    const refusal = checkPasswordPolicy(password, who);
    if (refusal) throw new BadRequestException({ message: refusal.message, params: refusal.params, field: 'password' });
    if (password !== confirm) throw new BadRequestException({ message: 'auth:account.confirmMismatch', field: 'passwordConfirm' });
    return hashPassword(password);
  }

  private async setPassword(userId: number, username: string, hash: string, m: EntityManager): Promise<void> {
    await m.query(`UPDATE user_account SET password_hash = $2, password_changed_at = now() WHERE id = $1`, [userId, hash]);
    // every open link of the user is spent, and a sign-in lock on the account is lifted
    await m.query(`UPDATE account_token SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
    await m.query(`DELETE FROM login_throttle WHERE username = lower($1)`, [username]);
  }

  private async newToken(userId: number, kind: TokenKind, valid: string, createdBy: number | null, m: EntityManager): Promise<{ token: string; id: number }> {
    await m.query(`UPDATE account_token SET used_at = now() WHERE user_id = $1 AND kind = $2 AND used_at IS NULL`, [userId, kind]);
    const { token, hash } = newAccountToken();
    const [row] = await m.query(
      `INSERT INTO account_token (user_id, kind, token_hash, expires_at, created_by) VALUES ($1, $2, $3, now() + $4::interval, $5) RETURNING id`,
      [userId, kind, hash, valid, createdBy]);
    return { token, id: Number(row.id) };
  }

  get requireMfaFor(): Role[] {
    return (this.config.get('REQUIRE_MFA_FOR') || '').split(',').filter(Boolean) as Role[];
  }
}
