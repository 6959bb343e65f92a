import { partnerInScopeSql } from '../../core/auth/region-scope.util';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { parsePeriod, todayIso } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { PartnersService } from '../partners/partners.service';
import { formatCoefficient } from './quality-coefficient.util';
import { computedLine, computeScoreY } from './score.util';
import { sheetLines } from './score-sheet.repository';
import { ScoringInputsService } from './scoring-inputs.service';
import { ScoringSchemeService } from './scoring-scheme.service';
import { ScoreSheet, ScoreSheetLine, ScoringPeriod } from './scoring.entities';
import { DEFAULT_DISPUTE_WINDOW_DAYS, SHEET_STATUSES } from './sheet-state.util';
import { ListQuery, ListSpec } from '../../core/web/list-query';

export interface PeriodSheetFilter {
  status?: string; q?: string;
  /** a scoped channel manager's regions (#17, RegionScopeService): sheets of those partners only */
  scope?: string[] | null;
}

/** Sortable columns of a period's sheet list (URL key → SQL over the newest revision per partner). */
export const PERIOD_SHEETS_LIST: ListSpec = {
  sortable: { partner: 'x.code', name: 'x.name', status: 'x.status', revision: 'x.revision', y: 'x.score_y', deadline: 'x.dispute_deadline' },
  defaultSort: 'partner', defaultDir: 'asc', pageSize: 50, tieBreaker: 'x.id',
};

export interface ConfirmedSheet { sheetId: number; revision: number; scoreY: string; confirmedAt: Date }
export interface PeriodSheetRow {
  sheetId: number; partnerId: number; partnerCode: string; partnerName: string; revision: number; status: string;
  scoreY: string | null; coefficientP: string | null; disputeDeadline: Date | null; undisputable: boolean;
}

/** Quarterly scoring: the contract other modules use (confirmed Y per partner and quarter) plus opening periods. */
@Injectable()
export class ScoringService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly partners: PartnersService,
    private readonly schemes: ScoringSchemeService,
    private readonly inputs: ScoringInputsService,
    private readonly audit: AuditService,
  ) {}

  /** The latest confirmed revision of a partner's sheet for the quarter, or null. scoreY has 2 decimals. */
  async getConfirmedSheet(partnerId: number, period: string, manager?: EntityManager): Promise<ConfirmedSheet | null> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT id, revision, score_y::text AS score_y, confirmed_at FROM score_sheet
        WHERE partner_id = $1 AND period = $2 AND status = 'confirmed' ORDER BY revision DESC LIMIT 1`, [partnerId, period]);
    return row ? toConfirmed(row) : null;
  }

  async getConfirmedSheets(period: string, manager?: EntityManager): Promise<Map<number, ConfirmedSheet>> {
    const rows: Record<string, unknown>[] = await (manager ?? this.db.manager).query(
      `SELECT DISTINCT ON (partner_id) partner_id, id, revision, score_y::text AS score_y, confirmed_at FROM score_sheet
        WHERE period = $1 AND status = 'confirmed' ORDER BY partner_id, revision DESC`, [period]);
    return new Map(rows.map((r) => [r.partner_id as number, toConfirmed(r)]));
  }

  /** Newest first: the confirmed Y of the partner's last n scored quarters. */
  async lastConfirmedScores(partnerId: number, n: number): Promise<{ period: string; scoreY: string }[]> {
    const rows: { period: string; score_y: string }[] = await this.db.query(
      `SELECT * FROM (SELECT DISTINCT ON (period) period, score_y::text AS score_y FROM score_sheet
                        WHERE partner_id = $1 AND status = 'confirmed' ORDER BY period, revision DESC) x
        ORDER BY period DESC LIMIT $2`, [partnerId, n]);
    return rows.map((r) => ({ period: r.period, scoreY: r.score_y }));
  }

  /**
   * Counts per period without ranking every sheet's revisions (a DISTINCT ON over 80,000 sheets sorted on disk: 190 ms).
   * A partner's sheets start at revision 1, and a revision is opened only when the others are confirmed (at most one
   * unconfirmed sheet, score_sheet_open_uq), so the unconfirmed sheet is always the newest: sheets = revision-1 rows
   * (an index-only scan), confirmed = sheets − unconfirmed (the small partial index).
   */
  async listPeriods(): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT p.period, p.opened_at, p.dispute_window_days, s.version AS scheme_version,
              c.sheets::int AS sheets, (c.sheets - o.open)::int AS confirmed, o.disputed::int AS disputed
         FROM scoring_period p JOIN scoring_scheme s ON s.id = p.scheme_id
        CROSS JOIN LATERAL (SELECT count(*) AS sheets FROM score_sheet x WHERE x.period = p.period AND x.revision = 1) c
        CROSS JOIN LATERAL (SELECT count(*) AS open, count(*) FILTER (WHERE x.status = 'disputed') AS disputed
                              FROM score_sheet x WHERE x.period = p.period AND x.status <> 'confirmed') o
        ORDER BY p.period DESC`);
  }

  async getPeriod(period: string, manager?: EntityManager): Promise<ScoringPeriod> {
    const p = await (manager ?? this.db.manager).getRepository(ScoringPeriod).findOne({ where: { period } });
    if (!p) throw new NotFoundException({ message: 'scoring:errors.periodNotOpened', params: { period } });
    return p;
  }

  /** The newest revision of every partner's sheet in the period, with Y and P. */
  async periodSheets(period: string, manager?: EntityManager, scope: string[] | null = null): Promise<PeriodSheetRow[]> {
    const rows: Record<string, unknown>[] = await (manager ?? this.db.manager).query(
      `SELECT DISTINCT ON (s.partner_id) s.id, s.partner_id, p.code, p.name, s.revision, s.status, s.score_y::text AS score_y,
              s.dispute_deadline, s.undisputable
         FROM score_sheet s JOIN partner p ON p.id = s.partner_id
        WHERE s.period = $1 AND ($2::text[] IS NULL OR p.region = ANY($2::text[])) ORDER BY s.partner_id, s.revision DESC`, [period, scope]);
    return rows.map(toPeriodRow).sort((a, b) => a.partnerCode.localeCompare(b.partnerCode));
  }

  /**
   * Y of the newest revision of every partner's sheet in the period, for the overview histogram: only the scores, no
   * partner rows (the overview used to fetch and sort all 10,000 sheets with their partners for five bucket counts).
   */
  async periodScores(period: string, scope: string[] | null = null): Promise<(string | null)[]> {
    const rows: { y: string | null }[] = await this.db.query(
      `SELECT DISTINCT ON (s.partner_id) s.score_y::text AS y FROM score_sheet s
        WHERE s.period = $1 AND ($2::text[] IS NULL OR ${partnerInScopeSql('s.partner_id', '$2')}) ORDER BY s.partner_id, s.revision DESC`, [period, scope]);
    return rows.map((r) => r.y);
  }

  /** One page of the period's sheets (newest revision per partner), filtered by status and partner code/name, sorted by a column. */
  async periodSheetPage(period: string, filter: PeriodSheetFilter, list: ListQuery): Promise<{ rows: PeriodSheetRow[]; total: number }> {
    const params: unknown[] = [period];
    const where: string[] = [];
    if (filter.status && (SHEET_STATUSES as readonly string[]).includes(filter.status)) { params.push(filter.status); where.push(`x.status = $${params.length}`); }
    if (filter.q) { params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`); where.push(`(x.code ILIKE $${params.length} OR x.name ILIKE $${params.length})`); }
    if (filter.scope) { params.push(filter.scope); where.push(partnerInScopeSql('x.partner_id', `$${params.length}`)); }
    const from = `FROM (SELECT DISTINCT ON (s.partner_id) s.id, s.partner_id, p.code, p.name, s.revision, s.status, s.score_y, s.dispute_deadline, s.undisputable
                          FROM score_sheet s JOIN partner p ON p.id = s.partner_id
                         WHERE s.period = $1 ORDER BY s.partner_id, s.revision DESC) x ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    // unfiltered, the total is the period's partners: their revision-1 sheets (an index-only count, see listPeriods)
    const [{ total }] = where.length
      ? await this.db.query(`SELECT count(*)::int AS total ${from}`, params)
      : await this.db.query(`SELECT count(*)::int AS total FROM score_sheet WHERE period = $1 AND revision = 1`, [period]);
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT x.id, x.partner_id, x.code, x.name, x.revision, x.status, x.score_y::text AS score_y, x.dispute_deadline, x.undisputable ${from}
        ORDER BY ${list.orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, list.size, list.offset]);
    return { rows: rows.map(toPeriodRow), total };
  }

  /**
   * Opens scoring for a quarter with the scheme in force now: one draft sheet per active or suspended partner, auto and
   * deduction indicators computed with their inputs stored. Running it again adds sheets for partners that have none.
   */
  async openPeriod(actor: Actor, period: string, opts: { disputeWindowDays?: number } = {}, manager?: EntityManager): Promise<{ created: number; existing: number }> {
    let quarter;
    try {
      quarter = parsePeriod(period);
    } catch (e) {
      if (e instanceof RuleViolation) throw new RuleViolation(e.message, 'period', e.params);
      throw new RuleViolation('errors:period.invalid', 'period', { value: period });
    }
    if (quarter.start > todayIso()) throw new RuleViolation('scoring:errors.notStarted', 'period', { period: quarter.code, start: quarter.start });
    const days = opts.disputeWindowDays ?? DEFAULT_DISPUTE_WINDOW_DAYS;
    if (!Number.isInteger(days) || days < 0 || days > 90) throw new RuleViolation('scoring:errors.disputeWindowRange', 'disputeWindowDays');
    const run = async (m: EntityManager) => {
      await m.query(`LOCK TABLE scoring_period IN SHARE ROW EXCLUSIVE MODE`);
      let p = await m.getRepository(ScoringPeriod).findOne({ where: { period: quarter.code } });
      if (!p) {
        const scheme = await this.schemes.current(m);
        p = await m.getRepository(ScoringPeriod).save(m.getRepository(ScoringPeriod).create({
          period: quarter.code, schemeId: scheme.id, openedAt: new Date(), openedBy: actor.id > 0 ? actor.id : null, disputeWindowDays: days,
        }));
      }
      const scheme = await this.schemes.byId(p.schemeId, m);
      const partners = await this.partners.listByStatus(['active', 'suspended'], m);
      const have = new Set((await m.query(`SELECT DISTINCT partner_id FROM score_sheet WHERE period = $1`, [quarter.code]) as { partner_id: number }[]).map((r) => r.partner_id));
      const methods = [...new Set(scheme.indicators.map((i) => i.method))];
      let created = 0;
      for (const partner of partners.filter((x) => !have.has(x.id))) {
        const facts = await this.inputs.factsFor(partner.id, quarter.code, methods, m);
        const lines = scheme.indicators.map((i) => ({ indicator: i, computed: computedLine(i.method, i.deductionKinds, facts) }));
        const y = computeScoreY(lines.map((l) => ({ weight: l.indicator.weight, score: l.computed?.score ?? null })));
        const sheet = await m.getRepository(ScoreSheet).save(m.getRepository(ScoreSheet).create({
          period: quarter.code, partnerId: partner.id, schemeId: scheme.id, revision: 1, status: 'draft', scoreY: y?.toFixed(2) ?? null,
          undisputable: false, createdAt: new Date(), version: 1,
        }));
        await m.getRepository(ScoreSheetLine).insert(lines.map((l) => ({
          sheetId: sheet.id, indicatorId: l.indicator.id, score: l.computed?.score ?? null, inputs: (l.computed?.inputs ?? null) as never, comment: '',
        })));
        created++;
      }
      await this.audit.record(actor, {
        action: 'scoring.period.open', entityType: 'scoring_period', entityId: quarter.code,
        after: { schemeVersion: scheme.version, disputeWindowDays: p.disputeWindowDays, sheetsCreated: created },
      }, m);
      return { created, existing: have.size };
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** Recomputes the auto and deduction indicators of a draft sheet from current data. */
  async refreshComputed(m: EntityManager, sheet: ScoreSheet): Promise<void> {
    const lines = await sheetLines(m, sheet.id);
    const facts = await this.inputs.factsFor(sheet.partnerId, sheet.period, [...new Set(lines.map((l) => l.method))], m);
    for (const l of lines) {
      const c = computedLine(l.method, l.deductionKinds, facts);
      if (c) await m.getRepository(ScoreSheetLine).update({ id: l.lineId }, { score: c.score, inputs: c.inputs as never });
    }
  }
}

function toPeriodRow(r: Record<string, unknown>): PeriodSheetRow {
  return {
    sheetId: r.id as number, partnerId: r.partner_id as number, partnerCode: r.code as string, partnerName: r.name as string,
    revision: r.revision as number, status: r.status as string, scoreY: (r.score_y as string | null) ?? null,
    coefficientP: r.score_y ? formatCoefficient(r.score_y as string) : null,
    disputeDeadline: (r.dispute_deadline as Date | null) ?? null, undisputable: r.undisputable as boolean,
  };
}

function toConfirmed(r: Record<string, unknown>): ConfirmedSheet {
  return { sheetId: r.id as number, revision: r.revision as number, scoreY: r.score_y as string, confirmedAt: r.confirmed_at as Date };
}
