import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PreparedQueries } from '../database/prepared-queries';
import { Actor, Role, ROLES } from './actor';
import { ACTOR_COLUMNS, actorFromRow, ActorRow } from './session-actor';
import { dummyPasswordHash, hashPassword, PasswordPolicyError, verifyPassword } from './password.util';
import { UserAccount } from './user-account.entity';

export interface NewUser {
  username: string;
  displayName?: string;
  /** set directly only by the demo seed, the CLI's create-admin and tests; people get an invitation instead */
  password?: string;
  email?: string | null;
  role: Role;
  partnerId?: number | null;
}

const USERNAME = /^[a-z0-9._-]{3,64}$/;
export const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserAccount) private readonly repo: Repository<UserAccount>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly prepared: PreparedQueries,
  ) {}

  async create(actor: Actor, input: NewUser, manager?: EntityManager): Promise<UserAccount> {
    const username = (input.username ?? '').trim().toLowerCase();
    if (!USERNAME.test(username)) throw new BadRequestException({ message: 'auth:errors.username', field: 'username' });
    if (!ROLES.includes(input.role)) throw new BadRequestException({ message: 'auth:errors.role', field: 'role' });
    if ((input.role === 'partner') !== (input.partnerId != null)) {
      throw new BadRequestException({ message: 'auth:errors.partnerLink', field: 'partnerId' });
    }
    const email = input.email?.trim().toLowerCase() || null;
    if (email !== null && !EMAIL.test(email)) throw new BadRequestException({ message: 'auth:errors.email', field: 'email' });
    let passwordHash: string | null = null;
    try {
      if (input.password !== undefined) passwordHash = await hashPassword(input.password);
    } catch (e) {
      if (e instanceof PasswordPolicyError) throw new BadRequestException({ message: e.message, params: e.params, field: 'password' });
      throw e;
    }
    const run = async (m: EntityManager) => {
      const repo = m.getRepository(UserAccount);
      if (await repo.createQueryBuilder('u').where('lower(u.username) = :u', { u: username }).getExists()) {
        throw new ConflictException({ message: 'auth:errors.usernameTaken', params: { username }, field: 'username' });
      }
      const saved = await repo.save(repo.create({
        username, displayName: input.displayName?.trim() || username, passwordHash, email, role: input.role,
        passwordChangedAt: passwordHash ? new Date() : null,
        partnerId: input.partnerId ?? null, active: true,
      }));
      await this.audit.record(actor, {
        action: 'user.create', entityType: 'user', entityId: saved.id, partnerId: saved.partnerId,
        after: { username, role: saved.role, partnerId: saved.partnerId, email, invited: passwordHash === null },
      }, m);
      return saved;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  async findActor(id: number): Promise<Actor | null> {
    const [row] = await this.prepared.rows<ActorRow>(
      `SELECT ${ACTOR_COLUMNS} FROM user_account u LEFT JOIN partner p ON p.id = u.partner_id WHERE u.id = $1`, [id]);
    return actorFromRow(row);
  }

  /** Loads a user with the hash, for sign-in only. */
  async findForLogin(username: string): Promise<UserAccount | null> {
    return this.repo.createQueryBuilder('u').addSelect('u.passwordHash')
      .where('lower(u.username) = :u', { u: (username ?? '').trim().toLowerCase() }).getOne();
  }

  async touchLogin(id: number): Promise<void> {
    await this.repo.update({ id }, { lastLoginAt: new Date() });
  }

  /**
   * Checks a sign-in password. A username that does not exist (hash null) costs the same argon2 check against a dummy
   * hash, so the answer time tells nobody which usernames exist.
   */
  async checkPassword(hash: string | null, password: string): Promise<boolean> {
    const ok = await verifyPassword(hash ?? (await dummyPasswordHash()), password);
    return ok && hash !== null;
  }

  /** The same password, hashed with today's parameters (at sign-in, when the stored hash is older). */
  async replaceHash(id: number, password: string): Promise<void> {
    await this.repo.update({ id }, { passwordHash: await hashPassword(password) });
  }

  async list(filter: { partnerId?: number } = {}): Promise<UserAccount[]> {
    return this.repo.find({ where: filter.partnerId ? { partnerId: filter.partnerId } : {}, order: { role: 'ASC', username: 'ASC' } });
  }

  /** Users with whether they still have to accept their invitation (no password set yet). */
  async listWithInvitation(filter: { partnerId?: number } = {}): Promise<(UserAccount & { invited: boolean })[]> {
    const rows = await this.repo.createQueryBuilder('u').addSelect('u.passwordHash')
      .where(filter.partnerId ? 'u.partnerId = :p' : '1 = 1', { p: filter.partnerId })
      .orderBy('u.role', 'ASC').addOrderBy('u.username', 'ASC').getMany();
    return rows.map(({ passwordHash, ...u }) => ({ ...u, invited: passwordHash === null }) as UserAccount & { invited: boolean });
  }

  async countAdmins(): Promise<number> {
    return this.repo.count({ where: { role: 'admin', active: true } });
  }

  async setActive(actor: Actor, id: number, active: boolean, reason: string, manager?: EntityManager): Promise<void> {
    const m = manager ?? this.db.manager;
    const user = await m.getRepository(UserAccount).findOne({ where: { id } });
    if (!user) throw new NotFoundException('auth:errors.userNotFound');
    await m.getRepository(UserAccount).update({ id }, { active, deactivatedReason: active ? null : reason });
    if (!active) await this.revokeSessions([id], m);
    await this.audit.record(actor, { action: active ? 'user.activate' : 'user.deactivate', entityType: 'user', entityId: id, partnerId: user.partnerId, before: { active: user.active }, after: { active }, reason }, m);
  }

  /** Deactivates every login of a partner (exit) and ends their sessions immediately. */
  async deactivatePartnerUsers(actor: Actor, partnerId: number, reason: string, manager: EntityManager): Promise<number> {
    const users = await manager.getRepository(UserAccount).find({ where: { partnerId, active: true } });
    for (const u of users) await this.setActive(actor, u.id, false, reason, manager);
    return users.length;
  }

  /** Ends every session of these users (except `keepSid`, the caller's own, when given). */
  async revokeSessions(userIds: number[], manager?: EntityManager, keepSid?: string): Promise<number> {
    if (!userIds.length) return 0;
    const rows = await (manager ?? this.db.manager).query(
      `DELETE FROM http_session WHERE (sess::jsonb -> 'passport' ->> 'user') = ANY($1::text[]) AND sid <> $2 RETURNING sid`, [userIds.map(String), keepSid ?? '']);
    return Array.isArray(rows) && rows.length === 2 && Array.isArray(rows[0]) && typeof rows[1] === 'number' ? rows[1] : Array.isArray(rows) ? rows.length : 0;
  }
}

export function toActor(u: UserAccount): Actor {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, partnerId: u.partnerId };
}
