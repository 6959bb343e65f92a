import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { AppConfig } from '../../core/config/app-config.service';
import { RuleViolation } from '../../core/web/errors';
import { hashToken, newToken, Scope, validScopes } from './token.util';

export interface ServiceAccountRow { id: number; name: string; owner: string; purpose: string; active: boolean; created_at: Date }
export interface ServiceTokenRow {
  id: number; service_account_id: number; prefix: string; scopes: Scope[]; expires_at: Date; rate_per_minute: number;
  revoked_at: Date | null; replaced_by: number | null; last_used_at: Date | null; last_used_ip: string | null; created_at: Date;
}
/** Who a bearer request acts as: the service account, with the token's scopes. */
export interface ServicePrincipal { accountId: number; accountName: string; tokenId: number; scopes: Scope[]; ratePerMinute: number }

/** The actor the rest of the portal sees for a service account (audit label `service:<name>`; no user row). */
export function serviceActor(p: Pick<ServicePrincipal, 'accountId' | 'accountName'>): Actor {
  return { id: -p.accountId, username: `service:${p.accountName}`, displayName: p.accountName, role: 'admin', partnerId: null };
}

const MAX_OVERLAP_HOURS = 24 * 30;

/** Service accounts and their tokens: issued once (only the hash is kept), rotated with an overlap, revoked. */
@Injectable()
export class ServiceAccountsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly config: AppConfig) {}

  list(): Promise<(ServiceAccountRow & { tokens: number; subscriptions: number })[]> {
    return this.db.query(`SELECT a.*, (SELECT count(*)::int FROM service_token t WHERE t.service_account_id = a.id AND t.revoked_at IS NULL AND t.expires_at > now()) AS tokens,
      (SELECT count(*)::int FROM webhook_subscription s WHERE s.service_account_id = a.id AND s.active) AS subscriptions FROM service_account a ORDER BY a.name`);
  }

  async get(id: number, m: EntityManager = this.db.manager): Promise<ServiceAccountRow> {
    const [a] = await m.query(`SELECT * FROM service_account WHERE id = $1`, [id]);
    if (!a) throw new NotFoundException('integrations:errors.accountNotFound');
    return a;
  }

  tokens(accountId: number): Promise<ServiceTokenRow[]> {
    return this.db.query(`SELECT id, service_account_id, prefix, scopes, expires_at, rate_per_minute, revoked_at, replaced_by, last_used_at, last_used_ip, created_at
      FROM service_token WHERE service_account_id = $1 ORDER BY id DESC`, [accountId]);
  }

  async create(actor: Actor, input: { name: string; owner: string; purpose: string }): Promise<ServiceAccountRow> {
    const name = input.name?.trim();
    if (!name || name.length > 100 || !/^[\w.\-\u4e00-\u9fff]+$/.test(name)) throw new RuleViolation('integrations:errors.badName', 'name');
    if (!input.owner?.trim()) throw new RuleViolation('integrations:errors.ownerRequired', 'owner');
    if (!input.purpose?.trim()) throw new RuleViolation('integrations:errors.purposeRequired', 'purpose');
    return this.db.transaction(async (m) => {
      const [dup] = await m.query(`SELECT 1 FROM service_account WHERE name = $1`, [name]);
      if (dup) throw new RuleViolation('integrations:errors.nameTaken', 'name', { name });
      const [a] = await m.query(`INSERT INTO service_account (name, owner, purpose, created_by) VALUES ($1, $2, $3, $4) RETURNING *`,
        [name, input.owner.trim().slice(0, 100), input.purpose.trim(), actor.id > 0 ? actor.id : null]);
      await this.audit.record(actor, { action: 'integrations.account.create', entityType: 'service_account', entityId: a.id, after: { name, owner: a.owner, purpose: a.purpose } }, m);
      return a;
    });
  }

  /** Issues a token; the plain token is returned this once and never stored. */
  async issue(actor: Actor, accountId: number, input: { scopes: string[]; days?: number; ratePerMinute?: number }, manager?: EntityManager): Promise<{ id: number; token: string; expiresAt: Date }> {
    if (!validScopes(input.scopes)) throw new RuleViolation('integrations:errors.badScopes', 'scopes');
    const days = input.days ?? this.config.get('API_TOKEN_DAYS');
    if (!Number.isFinite(days) || days <= 0 || days > 3650) throw new RuleViolation('integrations:errors.badDays', 'days');
    const rate = input.ratePerMinute ?? this.config.get('API_RATE_PER_MINUTE');
    if (!Number.isInteger(rate) || rate < 1 || rate > 100_000) throw new RuleViolation('integrations:errors.badRate', 'ratePerMinute');
    const run = async (m: EntityManager) => {
      const account = await this.get(accountId, m);
      if (!account.active) throw new RuleViolation('integrations:errors.accountInactive');
      const t = newToken();
      const [row] = await m.query(`INSERT INTO service_token (service_account_id, token_hash, prefix, scopes, expires_at, rate_per_minute, created_by)
        VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), $6, $7) RETURNING id, expires_at`,
        [accountId, t.hash, t.prefix, input.scopes, Math.round(days * 86_400), rate, actor.id > 0 ? actor.id : null]);
      await this.audit.record(actor, { action: 'integrations.token.issue', entityType: 'service_token', entityId: row.id, after: { account: account.name, scopes: input.scopes, expiresAt: row.expires_at, prefix: t.prefix } }, m);
      return { id: row.id as number, token: t.token, expiresAt: row.expires_at as Date };
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** A new token with the same scopes; the old one stays valid for `overlapHours`, then expires. */
  async rotate(actor: Actor, tokenId: number, overlapHours: number): Promise<{ id: number; token: string; expiresAt: Date }> {
    if (!Number.isFinite(overlapHours) || overlapHours < 0 || overlapHours > MAX_OVERLAP_HOURS) throw new RuleViolation('integrations:errors.badOverlap', 'overlapHours');
    return this.db.transaction(async (m) => {
      const [old] = await m.query(`SELECT * FROM service_token WHERE id = $1 FOR UPDATE`, [tokenId]);
      if (!old) throw new NotFoundException('integrations:errors.tokenNotFound');
      if (old.revoked_at || new Date(old.expires_at) <= new Date()) throw new RuleViolation('integrations:errors.tokenNotValid');
      const days = (new Date(old.expires_at).getTime() - new Date(old.created_at).getTime()) / 86_400_000;
      const fresh = await this.issue(actor, old.service_account_id, { scopes: old.scopes, days: Math.max(1, days), ratePerMinute: old.rate_per_minute }, m);
      await m.query(`UPDATE service_token SET replaced_by = $2, expires_at = least(expires_at, now() + make_interval(secs => $3)) WHERE id = $1`, [tokenId, fresh.id, Math.round(overlapHours * 3600)]);
      await this.audit.record(actor, { action: 'integrations.token.rotate', entityType: 'service_token', entityId: tokenId, after: { replacedBy: fresh.id, overlapHours } }, m);
      return fresh;
    });
  }

  async revoke(actor: Actor, tokenId: number): Promise<void> {
    await this.db.transaction(async (m) => {
      const rows = await m.query(`UPDATE service_token SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [tokenId, actor.id > 0 ? actor.id : null]);
      if (!(rows[0]?.length ?? rows.length)) throw new NotFoundException('integrations:errors.tokenNotFound');
      await this.audit.record(actor, { action: 'integrations.token.revoke', entityType: 'service_token', entityId: tokenId, after: { revoked: true } }, m);
    });
  }

  /**
   * The principal of a presented token, or null (unknown, revoked, expired, inactive account). One statement finds
   * it by hash and notes the last use (time, address) — at most once a minute per token, to keep requests cheap.
   */
  async authenticate(token: string, ip: string): Promise<ServicePrincipal | null> {
    const [row] = await this.db.query(
      `WITH t AS (
         SELECT t.id, t.scopes, t.rate_per_minute, a.id AS account_id, a.name, t.last_used_at, t.last_used_ip FROM service_token t JOIN service_account a ON a.id = t.service_account_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND a.active),
       u AS (UPDATE service_token s SET last_used_at = now(), last_used_ip = $2 FROM t
              WHERE s.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' OR t.last_used_ip IS DISTINCT FROM $2) RETURNING s.id)
       SELECT t.* FROM t`, [hashToken(token), ip.slice(0, 64)]);
    if (!row) return null;
    return { accountId: row.account_id, accountName: row.name, tokenId: row.id, scopes: row.scopes, ratePerMinute: row.rate_per_minute };
  }
}
