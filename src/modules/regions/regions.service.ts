import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { AuditService } from '../../core/audit/audit.service';
import { RuleViolation } from '../../core/web/errors';
import { matchRegion, RegionName, regionCovers } from './region-match.util';

export interface Region { id: number; name: string; nameEn: string; parentId: number | null; parent: string | null; prefix: string | null; aliases: string[]; active: boolean; sortOrder: number }

/**
 * The region reference list (Guizhou's prefectures and counties). Partners, customers, applications and imports
 * store the list's name; typed spellings are mapped through it or refused with the list.
 */
@Injectable()
export class RegionsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  /** `manager`: read on the caller's transaction (a pool connection could be waited for forever inside one). */
  async all(opts: { activeOnly?: boolean } = {}, manager?: EntityManager): Promise<Region[]> {
    return (manager ?? this.db.manager).query(
      `SELECT r.id, r.name, r.name_en AS "nameEn", r.parent_id AS "parentId", p.name AS parent, r.prefix, r.aliases, r.active, r.sort_order AS "sortOrder"
         FROM region r LEFT JOIN region p ON p.id = r.parent_id
        ${opts.activeOnly ? 'WHERE r.active AND (p.id IS NULL OR p.active)' : ''}
        ORDER BY coalesce(p.sort_order, r.sort_order), r.parent_id NULLS FIRST, r.sort_order, r.name`);
  }

  /** Prefectures with their counties, for select boxes (`<optgroup>`). */
  async tree(): Promise<{ name: string; nameEn: string; counties: { name: string; nameEn: string }[] }[]> {
    const rows = await this.all({ activeOnly: true });
    return rows.filter((r) => !r.parentId).map((p) => ({ name: p.name, nameEn: p.nameEn, counties: rows.filter((c) => c.parentId === p.id).map((c) => ({ name: c.name, nameEn: c.nameEn })) }));
  }

  async prefectureNames(): Promise<string[]> {
    return (await this.all({ activeOnly: true })).filter((r) => !r.parentId).map((r) => r.name);
  }

  private async names(manager?: EntityManager): Promise<RegionName[]> {
    return (await this.all({ activeOnly: true }, manager)).map((r) => ({ name: r.name, nameEn: r.nameEn, aliases: r.aliases, parent: r.parent }));
  }

  /** A matcher over the current list, for imports that resolve many rows (one query, then pure matching). */
  async matcher(manager?: EntityManager): Promise<(input: string) => string | null> {
    const names = await this.names(manager);
    return (input: string) => matchRegion(input, names);
  }

  /** The list's name for a typed region, or a refusal naming the field and listing the prefectures. */
  async resolve(input: string, field = 'region', manager?: EntityManager): Promise<string> {
    const names = await this.names(manager);
    const hit = matchRegion(input, names);
    if (!hit) throw new RuleViolation('regions:errors.unknown', field, { value: input ?? '', list: names.filter((n) => !n.parent).map((n) => n.name).join('、') });
    return hit;
  }

  /** Whether a partner serving `served` covers a customer in `region` (counties count under their prefecture). */
  async covers(served: string, region: string, manager?: EntityManager): Promise<boolean> {
    return regionCovers(served, region, await this.names(manager));
  }

  /** The partner-code prefix of a region (its prefecture's), e.g. 遵义市 → ZY. */
  async prefixOf(region: string, manager?: EntityManager): Promise<string | null> {
    const rows = await this.all({}, manager);
    const r = rows.find((x) => x.name === region);
    if (!r) return null;
    return r.prefix ?? rows.find((x) => x.id === r.parentId)?.prefix ?? null;
  }

  async add(actor: Actor, input: { name: string; nameEn?: string; parentId?: number | null; prefix?: string; aliases?: string[] }): Promise<Region> {
    const name = (input.name ?? '').trim();
    if (!name) throw new RuleViolation('regions:errors.nameRequired', 'name');
    if (!input.parentId && !/^[A-Z]{2,6}$/.test(input.prefix ?? '')) throw new RuleViolation('regions:errors.prefix', 'prefix');
    const [dupe] = await this.db.query(`SELECT 1 FROM region WHERE name = $1`, [name]);
    if (dupe) throw new RuleViolation('regions:errors.duplicate', 'name', { name });
    return this.db.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO region (name, name_en, parent_id, prefix, aliases, sort_order)
         VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(sort_order), 0) + 1 FROM region WHERE parent_id IS NOT DISTINCT FROM $3::int)) RETURNING id`,
        [name, (input.nameEn ?? '').trim(), input.parentId || null, input.parentId ? null : input.prefix, input.aliases ?? []]);
      await this.audit.record(actor, { action: 'region.add', entityType: 'region', entityId: row.id, after: { name, nameEn: input.nameEn, parentId: input.parentId ?? null, prefix: input.prefix, aliases: input.aliases } }, m);
      return (await m.query(`SELECT id, name FROM region WHERE id = $1`, [row.id]))[0];
    });
  }

  /** Rename keeps existing partner/customer values pointing at the region (they are rewritten in the same transaction). */
  async update(actor: Actor, id: number, input: { name: string; nameEn?: string; aliases?: string[]; active: boolean }): Promise<void> {
    const [before] = await this.db.query(`SELECT id, name, name_en AS "nameEn", aliases, active FROM region WHERE id = $1`, [id]);
    if (!before) throw new RuleViolation('regions:errors.notFound');
    const name = (input.name ?? '').trim();
    if (!name) throw new RuleViolation('regions:errors.nameRequired', 'name');
    const [dupe] = await this.db.query(`SELECT 1 FROM region WHERE name = $1 AND id <> $2`, [name, id]);
    if (dupe) throw new RuleViolation('regions:errors.duplicate', 'name', { name });
    await this.db.transaction(async (m) => {
      await m.query(`UPDATE region SET name = $2, name_en = $3, aliases = $4, active = $5 WHERE id = $1`, [id, name, (input.nameEn ?? '').trim(), input.aliases ?? [], input.active]);
      if (name !== before.name) {
        await m.query(`UPDATE partner SET region = $2 WHERE region = $1`, [before.name, name]);
        await m.query(`UPDATE customer SET region = $2 WHERE region = $1`, [before.name, name]);
      }
      await this.audit.record(actor, { action: 'region.update', entityType: 'region', entityId: id, before, after: { name, nameEn: input.nameEn, aliases: input.aliases, active: input.active } }, m);
    });
  }
}
