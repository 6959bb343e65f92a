import { ListQuery, ListSpec } from '../web/list-query';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditLogEntry } from './audit-log.entity';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string | number;
  partnerId?: number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Who changed what. Call it with the transaction's EntityManager so the entry commits with the change. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLogEntry) private readonly repo: Repository<AuditLogEntry>) {}

  async record(actor: Actor, input: AuditInput, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditLogEntry) : this.repo;
    await repo.insert(this.entryFor(actor, input) as never);
  }

  /** The row record() writes, for a module that writes its audit entry inside its own single SQL statement. */
  entryFor(actor: Actor, input: AuditInput) {
    return {
      actorUserId: actor.id > 0 ? actor.id : null,
      actorLabel: actor.username,
      action: input.action,
      entityType: input.entityType,
      entityId: String(input.entityId),
      partnerId: input.partnerId ?? null,
      before: scrub(input.before) ?? null,
      after: scrub(input.after) ?? null,
      reason: input.reason ?? null,
    };
  }

  async forEntity(entityType: string, entityId: string | number, limit = 200): Promise<AuditLogEntry[]> {
    return this.repo.find({ where: { entityType, entityId: String(entityId) }, order: { at: 'DESC', id: 'DESC' }, take: limit });
  }

  async forPartner(partnerId: number, limit = 200): Promise<AuditLogEntry[]> {
    return this.repo.find({ where: { partnerId }, order: { at: 'DESC', id: 'DESC' }, take: limit });
  }

  /** One page of the audit log, filtered (actor, action, entity type, text) and sorted by a declared column. */
  async page(filter: AuditFilter, list: ListQuery): Promise<{ rows: AuditLogEntry[]; total: number }> {
    const qb = this.repo.createQueryBuilder('a');
    if (filter.actor) qb.andWhere('a.actorLabel ILIKE :actor', { actor: `%${likeEscape(filter.actor)}%` });
    if (filter.action) qb.andWhere('a.action ILIKE :action', { action: `%${likeEscape(filter.action)}%` });
    if (filter.entityType) qb.andWhere('a.entityType = :et', { et: filter.entityType });
    if (filter.q) qb.andWhere('(a.entityId = :q OR a.reason ILIKE :ql)', { q: filter.q, ql: `%${likeEscape(filter.q)}%` });
    const total = await qb.getCount();
    const rows = await qb.orderBy(AUDIT_LIST.sortable[list.sort], list.dir.toUpperCase() as 'ASC' | 'DESC').addOrderBy('a.id', list.dir.toUpperCase() as 'ASC' | 'DESC')
      .offset(list.offset).limit(list.size).getMany();
    return { rows, total };
  }

  async entityTypes(): Promise<string[]> {
    const rows: { t: string }[] = await this.repo.query(`SELECT DISTINCT entity_type AS t FROM audit_log ORDER BY 1`);
    return rows.map((r) => r.t);
  }

  async recent(limit = 100, offset = 0): Promise<AuditLogEntry[]> {
    return this.repo.find({ order: { at: 'DESC', id: 'DESC' }, take: limit, skip: offset });
  }
}

export interface AuditFilter { actor?: string; action?: string; entityType?: string; q?: string }

/** Sortable columns of the audit log page (URL key → query-builder column). */
export const AUDIT_LIST: ListSpec = {
  sortable: { at: 'a.at', actor: 'a.actorLabel', action: 'a.action', entity: 'a.entityType' },
  defaultSort: 'at', defaultDir: 'desc', pageSize: 50,
};

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const SECRET_KEYS = /password|hash|secret|token/i;

/** Never let a password or hash reach the audit log. */
function scrub(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(scrub);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>)
    .filter(([k]) => !SECRET_KEYS.test(k))
    .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : scrub(v)]));
}
