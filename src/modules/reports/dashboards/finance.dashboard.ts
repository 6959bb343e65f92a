import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../../core/auth/actor';
import { formatMoney } from '../../../core/i18n/format.util';
import { DashboardContext, DashboardContributor, DashboardPanel, DashboardSection } from '../../../core/web/discovery';
import { lastQuarters } from '../dashboard.util';
import { COST_BY_PRODUCT, COST_BY_QUARTER, costBy, FINANCE_QUEUE } from '../queries/dashboard.sql';

type Keyed = { key: string; total: string; accrued?: string; partners?: number };

/** Finance's charts: cost by quarter with the quality withholding, by region, tier, product; the work queue. */
@Injectable()
@DashboardSection(7)
export class FinanceDashboard implements DashboardContributor {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async sectionFor(actor: Actor, ctx: DashboardContext): Promise<DashboardPanel[] | null> {
    if (actor.role !== 'finance') return null;
    const t = ctx.t;
    const quarters = lastQuarters(ctx.period, 8);
    const [byQuarter, byRegion, byTier, byProduct, [queue]] = await Promise.all([
      this.db.query(COST_BY_QUARTER, [quarters]) as Promise<{ period: string; base: string; quality: string; adjustments: string; total: string; withheld: string }[]>,
      this.db.query(costBy('region'), [ctx.period]) as Promise<Keyed[]>,
      this.db.query(costBy('tier'), [ctx.period]) as Promise<Keyed[]>,
      this.db.query(COST_BY_PRODUCT, [ctx.period]) as Promise<Keyed[]>,
      this.db.query(FINANCE_QUEUE, [process.env.TZ || 'Asia/Shanghai']) as Promise<Record<string, string | number>[]>,
    ]);
    const money = (cols: string[]) => cols.map((c, i) => ({ label: `reports:col.${c}`, num: i > 0 }));
    const keyed = (title: string, rows: Keyed[], keyCol: string, keyLabel: (k: string) => string, extra?: 'accrued' | 'partners', valueCol = 'totalPay'): DashboardPanel => ({
      title, titleParams: { period: ctx.period }, items: [], emptyText: 'reports:dashboard.noPay',
      chart: { kind: 'bar', categories: rows.map((r) => keyLabel(r.key)), series: [{ name: t(`reports:col.${valueCol}`), data: rows.map((r) => r.total) }] },
      table: {
        columns: [...money([keyCol, valueCol]), ...(extra ? [{ label: `reports:col.${extra}`, num: true }] : [])],
        rows: rows.map((r) => ({ cells: [keyLabel(r.key), formatMoney(r.total), ...(extra === 'accrued' ? [formatMoney(r.accrued)] : extra ? [r.partners ?? 0] : [])] })),
      },
    });
    const anyCost = byQuarter.some((r) => r.total !== '0' || r.base !== '0');
    return [
      {
        title: 'reports:dashboard.finance.byQuarter', titleParams: { from: quarters[0], to: ctx.period }, items: [], emptyText: 'reports:dashboard.noPay', wide: true,
        chart: {
          kind: 'bar', stacked: true, categories: quarters, axes: [t('reports:dashboard.finance.axisYuan')],
          series: [
            { name: t('reports:col.basePay'), data: byQuarter.map((r) => r.base) }, { name: t('reports:col.qualityPay'), data: byQuarter.map((r) => r.quality) },
            { name: t('reports:col.adjustments'), data: byQuarter.map((r) => r.adjustments) },
            { name: t('reports:col.withheld'), data: byQuarter.map((r) => r.withheld), kind: 'line' },
          ],
        },
        table: {
          columns: money(['period', 'basePay', 'qualityPay', 'adjustments', 'totalPay', 'withheld']),
          rows: anyCost ? byQuarter.map((r) => ({ cells: [r.period, formatMoney(r.base), formatMoney(r.quality), formatMoney(r.adjustments), formatMoney(r.total), formatMoney(r.withheld)] })) : [],
        },
      },
      keyed('reports:dashboard.finance.byRegion', byRegion, 'region', (k) => k, 'partners'),
      keyed('reports:dashboard.finance.byTier', byTier, 'tier', (k) => (k === '-' ? t('reports:tier.none') : t('reports:tier.named', { tier: k })), 'partners'),
      keyed('reports:dashboard.finance.byProduct', byProduct, 'product', (k) => k, 'accrued', 'cost'),
      {
        title: 'reports:dashboard.finance.queue',
        items: [
          { label: 'reports:dashboard.finance.waitApproval', value: 'reports:dashboard.count', valueParams: { count: queue.draft }, href: '/settlement', tone: Number(queue.draft) ? 'warn' : 'ok' },
          { label: 'reports:dashboard.finance.waitExport', value: 'reports:dashboard.count', valueParams: { count: queue.approved }, href: '/settlement', tone: Number(queue.approved) ? 'warn' : 'ok' },
          { label: 'reports:dashboard.finance.waitPayment', value: 'reports:dashboard.count', valueParams: { count: queue.exported }, href: '/settlement', tone: Number(queue.exported) ? 'warn' : 'ok' },
          { label: 'reports:dashboard.finance.inquiries', value: 'reports:dashboard.count', valueParams: { count: queue.inquiries }, href: '/settlement', tone: Number(queue.inquiries) ? 'bad' : 'ok' },
          { label: 'reports:dashboard.finance.paidThisMonth', value: 'reports:dashboard.paidValue', valueParams: { count: queue.paid_batches, amount: formatMoney(queue.paid_amount) } },
        ],
      },
    ];
  }
}
