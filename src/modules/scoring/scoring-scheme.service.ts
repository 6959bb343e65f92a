import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { IndicatorDraft, validateScheme } from './score.util';
import { ScoringIndicator, ScoringScheme } from './scoring.entities';

export interface SchemeWithIndicators extends ScoringScheme { indicators: ScoringIndicator[] }

/** Indicator schemes. A scheme is never edited: "editing" saves a new version; periods keep the version they opened with. */
@Injectable()
export class ScoringSchemeService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  /** The newest version in force now. */
  async current(manager?: EntityManager): Promise<SchemeWithIndicators> {
    const m = manager ?? this.db.manager;
    const scheme = await m.getRepository(ScoringScheme).createQueryBuilder('s')
      .where('s.effective_from <= now()').orderBy('s.version', 'DESC').getOne();
    if (!scheme) throw new NotFoundException('scoring:errors.noScheme');
    return this.withIndicators(scheme, m);
  }

  async byId(id: number, manager?: EntityManager): Promise<SchemeWithIndicators> {
    const m = manager ?? this.db.manager;
    const scheme = await m.getRepository(ScoringScheme).findOne({ where: { id } });
    if (!scheme) throw new NotFoundException({ message: 'scoring:errors.schemeNotFound', params: { id } });
    return this.withIndicators(scheme, m);
  }

  async list(): Promise<(ScoringScheme & { periods: string[] })[]> {
    const schemes = await this.db.getRepository(ScoringScheme).find({ order: { version: 'DESC' } });
    const used: { scheme_id: number; period: string }[] = await this.db.query(`SELECT scheme_id, period FROM scoring_period ORDER BY period`);
    return schemes.map((s) => ({ ...s, periods: used.filter((u) => u.scheme_id === s.id).map((u) => u.period) }));
  }

  /** Saves a new version (weights must add up to 100). Past sheets keep pointing at their own version. */
  async createVersion(actor: Actor, input: { note: string; indicators: IndicatorDraft[] }): Promise<SchemeWithIndicators> {
    return this.db.transaction(async (m) => {
      // serialise version numbers
      await m.query(`LOCK TABLE scoring_scheme IN SHARE ROW EXCLUSIVE MODE`);
      const [{ next }] = await m.query(`SELECT coalesce(max(version), 0) + 1 AS next FROM scoring_scheme`);
      validateScheme(String(next), input.indicators);
      const scheme = await m.getRepository(ScoringScheme).save(m.getRepository(ScoringScheme).create({
        version: next, effectiveFrom: new Date(), createdBy: actor.id > 0 ? actor.id : null, createdAt: new Date(), note: (input.note ?? '').trim(),
      }));
      await m.getRepository(ScoringIndicator).insert(input.indicators.map((i, position) => ({
        schemeId: scheme.id, position: position + 1, code: i.code.trim(), name: i.name.trim(), family: i.family as never,
        weight: String(i.weight), method: i.method as never, deductionKinds: (i.deductionKinds ?? []).map((k) => k.trim()).filter(Boolean),
      })));
      const saved = await this.withIndicators(scheme, m);
      await this.audit.record(actor, {
        action: 'scoring.scheme.version', entityType: 'scoring_scheme', entityId: scheme.id,
        after: { version: scheme.version, indicators: saved.indicators.map(({ code, weight, method, family }) => ({ code, weight, method, family })) },
        reason: scheme.note || null,
      }, m);
      return saved;
    });
  }

  private async withIndicators(scheme: ScoringScheme, m: EntityManager): Promise<SchemeWithIndicators> {
    const indicators = await m.getRepository(ScoringIndicator).find({ where: { schemeId: scheme.id }, order: { position: 'ASC', id: 'ASC' } });
    return { ...scheme, indicators };
  }
}
