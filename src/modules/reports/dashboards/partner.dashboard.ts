import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../../core/auth/actor';
import { formatMoney } from '../../../core/i18n/format.util';
import { todayIso } from '../../../core/period/period.util';
import { DashboardContext, DashboardContributor, DashboardPanel, DashboardSection } from '../../../core/web/discovery';
import { lastQuarters, percentText, weekOf } from '../dashboard.util';
import { PARTNER_DUE_THIS_WEEK, PARTNER_DUTIES_BY_STAGE, PARTNER_PAY, PARTNER_SCORES } from '../queries/dashboard.sql';

const STAGES = ['acquisition', 'development', 'maturity', 'decline', 'churn'];

/** A partner's own charts: Y and P over 8 quarters, pay per quarter, duty completion by stage, items due this week. */
@Injectable()
@DashboardSection(5)
export class PartnerDashboard implements DashboardContributor {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async sectionFor(actor: Actor, ctx: DashboardContext): Promise<DashboardPanel[] | null> {
    if (actor.role !== 'partner' || !actor.partnerId) return null;
    const id = actor.partnerId;
    const quarters = lastQuarters(ctx.period, 8);
    const week = weekOf(todayIso());
    const [scores, pay, stages, due] = await Promise.all([
      this.db.query(PARTNER_SCORES, [id, quarters]) as Promise<{ period: string; y: string | null; p: string | null }[]>,
      this.db.query(PARTNER_PAY, [id, quarters]) as Promise<{ period: string; base: string; quality: string; withheld: string; adjustments: string; total: string }[]>,
      this.db.query(PARTNER_DUTIES_BY_STAGE, [id, ctx.period]) as Promise<{ stage: string; required: number; fulfilled: number }[]>,
      this.db.query(PARTNER_DUE_THIS_WEEK, [id, week.from, week.to]) as Promise<{ customer_code: string; customer_name: string; duty_code: string; due_date: string; missing: number }[]>,
    ]);
    const t = ctx.t;
    const byStage = STAGES.map((s) => stages.find((r) => r.stage === s)).filter((r): r is { stage: string; required: number; fulfilled: number } => !!r);
    const scored = scores.filter((r) => r.y !== null);
    return [
      {
        title: 'reports:dashboard.partner.scores', titleParams: { from: quarters[0], to: ctx.period }, items: [], emptyText: 'reports:dashboard.noScores',
        chart: {
          kind: 'bar', categories: quarters, axes: [t('reports:col.y'), t('reports:col.p')],
          series: [{ name: t('reports:col.y'), data: scores.map((r) => r.y) }, { name: t('reports:col.p'), data: scores.map((r) => r.p), kind: 'line', yAxis: 1 }],
          marks: [{ y: 90, name: '90' }, { y: 60, name: '60' }],
        },
        table: {
          columns: [{ label: 'reports:col.period' }, { label: 'reports:col.y', num: true }, { label: 'reports:col.p', num: true }],
          rows: scored.map((r) => ({ cells: [r.period, r.y, r.p] })),
        },
      },
      {
        title: 'reports:dashboard.partner.pay', titleParams: { from: quarters[0], to: ctx.period }, items: [], emptyText: 'reports:dashboard.noPay',
        chart: {
          kind: 'bar', stacked: true, categories: pay.map((r) => r.period),
          series: [
            { name: t('reports:col.basePay'), data: pay.map((r) => r.base) }, { name: t('reports:col.qualityPay'), data: pay.map((r) => r.quality) },
            { name: t('reports:col.withheld'), data: pay.map((r) => r.withheld) }, { name: t('reports:col.adjustments'), data: pay.map((r) => r.adjustments) },
          ],
        },
        table: {
          columns: ['period', 'basePay', 'qualityPay', 'withheld', 'adjustments', 'totalPay'].map((c, i) => ({ label: `reports:col.${c}`, num: i > 0 })),
          rows: pay.filter((r) => r.total !== '0' || r.base !== '0').map((r) => ({ cells: [r.period, formatMoney(r.base), formatMoney(r.quality), formatMoney(r.withheld), formatMoney(r.adjustments), formatMoney(r.total)], href: `/my/statements/${r.period}` })),
        },
      },
      {
        title: 'reports:dashboard.partner.duties', titleParams: { period: ctx.period }, items: [], emptyText: 'reports:dashboard.noDuties',
        chart: {
          kind: 'bar', categories: byStage.map((r) => t(`reports:stage.${r.stage}`)),
          series: [{ name: t('reports:col.required'), data: byStage.map((r) => r.required) }, { name: t('reports:col.fulfilled'), data: byStage.map((r) => r.fulfilled) }],
        },
        table: {
          columns: [{ label: 'reports:col.stage' }, { label: 'reports:col.required', num: true }, { label: 'reports:col.fulfilled', num: true }, { label: 'reports:col.completion', num: true }],
          rows: byStage.map((r) => ({ cells: [`reports:stage.${r.stage}`, r.required, r.fulfilled, percentText(r.fulfilled, r.required)] })),
        },
      },
      {
        title: 'reports:dashboard.partner.dueThisWeek', titleParams: week, emptyText: 'reports:dashboard.nothingDue',
        items: due.map((r) => ({
          label: 'reports:dashboard.partner.dueItem', labelParams: { customer: `${r.customer_code} ${r.customer_name}`, duty: `duties:duty.${r.duty_code}` },
          value: 'reports:dashboard.partner.dueValue', valueParams: { date: r.due_date, count: r.missing }, href: '/my/duties', tone: r.due_date < todayIso() ? 'bad' as const : 'warn' as const,
        })),
      },
    ];
  }
}
