import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { partnerInOptionalScopeSql } from '../../core/auth/region-scope.util';
import { DashboardContributor, DashboardPanel, DashboardSection } from '../../core/web/discovery';
import { formatDate } from '../../core/i18n/format.util';
import { qualityCoefficient } from './quality-coefficient.util';

/** Home panel: a partner sees its latest sheets (Y, P, dispute window); staff see the sheets still to finish per quarter. */
@Injectable()
@DashboardSection(50)
export class ScoringDashboard implements DashboardContributor {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly regionScope: RegionScopeService) {}

  async sectionFor(actor: Actor): Promise<DashboardPanel | null> {
    if (actor.role === 'partner') {
      // partners see submitted and later sheets only (drafts are the manager's work in progress)
      const rows: { id: number; period: string; status: string; score_y: string | null; dispute_deadline: Date | null }[] = await this.db.query(
        `SELECT DISTINCT ON (period) id, period, status, score_y::text AS score_y, dispute_deadline FROM score_sheet
          WHERE partner_id = $1 AND status <> 'draft' ORDER BY period DESC, revision DESC LIMIT 4`, [actor.partnerId]);
      return {
        title: 'scoring:dashboard.partnerTitle',
        items: rows.sort((a, b) => b.period.localeCompare(a.period)).map((r) => {
          const dispute = r.status === 'submitted' && r.dispute_deadline;
          return {
            label: dispute ? 'scoring:dashboard.partnerItemDispute' : 'scoring:dashboard.partnerItem',
            labelParams: { period: r.period, status: `scoring:status.${r.status}`, ...(dispute ? { date: formatDate(r.dispute_deadline) } : {}) },
            value: r.score_y ? 'scoring:dashboard.partnerValue' : undefined,
            valueParams: r.score_y ? { y: r.score_y, p: qualityCoefficient(r.score_y).toFixed(6) } : undefined,
            href: `/my/scores/${r.id}`,
            tone: r.score_y && Number(r.score_y) < 90 ? 'warn' as const : 'ok' as const,
          };
        }),
        emptyText: 'scoring:dashboard.partnerEmpty',
      };
    }
    if (actor.role === 'finance') return null;
    // only the unconfirmed sheets (the partial index score_sheet_open_uq), not every sheet of every quarter;
    // a channel manager with regions: the sheets of partners there (#17)
    const rows: { period: string; open: string; disputed: string }[] = await this.db.query(
      `SELECT period, count(*) AS open, count(*) FILTER (WHERE status = 'disputed') AS disputed
         FROM score_sheet WHERE status <> 'confirmed'
          AND ${partnerInOptionalScopeSql('partner_id', '$1')}
        GROUP BY period ORDER BY period DESC LIMIT 4`, [await this.regionScope.forActor(actor)]);
    return {
      title: 'scoring:dashboard.staffTitle',
      items: rows.map((r) => ({
        label: 'scoring:dashboard.staffItem', labelParams: { period: r.period, count: Number(r.open) },
        value: Number(r.disputed) ? 'scoring:dashboard.staffDisputed' : undefined, valueParams: { count: Number(r.disputed) },
        href: `/scoring/${r.period}`, tone: Number(r.disputed) ? 'bad' : 'warn',
      })),
      emptyText: 'scoring:dashboard.staffEmpty',
    };
  }
}
