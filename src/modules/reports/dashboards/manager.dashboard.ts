import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../../core/auth/actor';
import { RegionScopeService } from '../../../core/auth/region-scope.service';
import { parsePeriod, previousPeriod, todayIso } from '../../../core/period/period.util';
import { DashboardContext, DashboardContributor, DashboardPanel, DashboardSection } from '../../../core/web/discovery';
import { histogramOfY } from '../../scoring/score.util';
import { trendOf } from '../dashboard.util';
import { LATEST_SCORED_PERIOD, ONBOARDING_FUNNEL, OVERDUE_BY_PARTNER_REGION, PERIOD_SCORES, RANKED_BY_Y } from '../queries/dashboard.sql';

const TOP = 15;
const ARROW = { up: '↑', down: '↓', flat: '→', new: '·' } as const;

/** The channel manager's charts: score distribution, ranking with trends, overdue heat map, funnel — of the partners in their regions (#17). */
@Injectable()
@DashboardSection(6)
export class ManagerDashboard implements DashboardContributor {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly regionScope: RegionScopeService) {}

  async sectionFor(actor: Actor, ctx: DashboardContext): Promise<DashboardPanel[] | null> {
    // admins have their own charts (and every report); one page stays short
    if (actor.role !== 'channel_manager') return null;
    const t = ctx.t;
    // the quarter under way is usually not scored yet: show the latest scored quarter up to the chosen one
    const [{ period: scored }] = await this.db.query(LATEST_SCORED_PERIOD, [ctx.period]);
    const period: string = scored ?? ctx.period;
    const prev = previousPeriod(period).code;
    const scope = await this.regionScope.forActor(actor);
    const [scores, ranked, overdue, [funnel]] = await Promise.all([
      this.db.query(PERIOD_SCORES, [period, scope]) as Promise<{ y: string }[]>,
      this.db.query(RANKED_BY_Y, [period, prev, TOP, scope]) as Promise<{ id: number; code: string; name: string; y: string; prev_y: string | null }[]>,
      this.db.query(OVERDUE_BY_PARTNER_REGION, [todayIso(), 10, scope]) as Promise<{ code: string; name: string; region: string; overdue: number; partner_total: number }[]>,
      this.db.query(ONBOARDING_FUNNEL, [parsePeriod(ctx.period).end, process.env.TZ || 'Asia/Shanghai', scope]) as Promise<{ applied: number; approved: number; active: number }[]>,
    ]);
    const buckets = histogramOfY(scores.map((s) => s.y));
    const partners = [...new Set(overdue.map((r) => r.code))];
    const regions = [...new Set(overdue.map((r) => r.region || '-'))].sort();
    const steps = [['applied', funnel.applied], ['approved', funnel.approved], ['active', funnel.active]] as const;
    return [
      {
        title: 'reports:dashboard.manager.distribution', titleParams: { period, count: scores.length }, items: [], emptyText: 'reports:dashboard.noScores',
        chart: {
          kind: 'bar', categories: buckets.map((b) => t(b.labelKey)), series: [{ name: t('reports:col.partners'), data: buckets.map((b) => b.count) }],
          // between the buckets below and from 60 (after "<60"), and below and from 90 (before "90–100")
          marks: [{ between: 1, name: t('reports:dashboard.manager.line60') }, { between: buckets.length - 1, name: t('reports:dashboard.manager.line90') }],
        },
        table: { columns: [{ label: 'reports:col.scoreBand' }, { label: 'reports:col.partners', num: true }], rows: scores.length ? buckets.map((b) => ({ cells: [b.labelKey, b.count] })) : [] },
      },
      {
        title: 'reports:dashboard.manager.ranking', titleParams: { period, count: ranked.length, prev }, items: [], emptyText: 'reports:dashboard.noScores', wide: true,
        chart: {
          kind: 'bar', categories: ranked.map((r) => r.code),
          series: [{ name: period, data: ranked.map((r) => r.y) }, { name: prev, data: ranked.map((r) => r.prev_y), kind: 'line' }],
          marks: [{ y: 90, name: '90' }, { y: 60, name: '60' }],
        },
        table: {
          columns: [{ label: 'reports:col.partner' }, { label: 'reports:col.y', num: true }, { label: 'reports:col.prevY', num: true }, { label: 'reports:col.trend', num: true }],
          rows: ranked.map((r) => {
            const tr = trendOf(r.y, r.prev_y);
            return { cells: [`${r.code} ${r.name}`, r.y, r.prev_y, `${ARROW[tr.dir]} ${tr.delta}`.trim()], href: `/partners/${r.id}` };
          }),
        },
      },
      {
        title: 'reports:dashboard.manager.overdue', titleParams: { count: partners.length }, items: [], emptyText: 'reports:dashboard.noOverdue', wide: true,
        chart: {
          kind: 'heatmap', categories: regions, yCategories: partners, series: [{ name: t('reports:col.overdue'), data: [] }],
          cells: overdue.map((r) => [regions.indexOf(r.region || '-'), partners.indexOf(r.code), r.overdue]),
        },
        table: {
          columns: [{ label: 'reports:col.partner' }, { label: 'reports:col.region' }, { label: 'reports:col.overdue', num: true }],
          rows: overdue.map((r) => ({ cells: [`${r.code} ${r.name}`, r.region || '-', r.overdue] })),
        },
      },
      {
        title: 'reports:dashboard.manager.funnel', titleParams: { period: ctx.period }, items: [], emptyText: 'reports:dashboard.noApplications',
        chart: { kind: 'funnel', categories: steps.map(([k]) => t(`reports:funnel.${k}`)), series: [{ name: t('reports:dashboard.manager.funnelName'), data: steps.map(([, n]) => n) }] },
        table: { columns: [{ label: 'reports:col.step' }, { label: 'reports:col.partners', num: true }], rows: funnel.applied ? steps.map(([k, n]) => ({ cells: [`reports:funnel.${k}`, n] })) : [] },
      },
    ];
  }
}
