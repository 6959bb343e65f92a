import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../../core/auth/actor';
import { formatDateTime } from '../../../core/i18n/format.util';
import { DashboardContext, DashboardContributor, DashboardPanel, DashboardSection } from '../../../core/web/discovery';
import { megabytes } from '../dashboard.util';
import { FAILED_JOBS, SIGN_INS, STORAGE_BY_KIND, USERS_BY_ROLE } from '../queries/dashboard.sql';

/** The admin's charts: users by role, sign-ins of the last 14 days, failed jobs, storage used by documents. */
@Injectable()
@DashboardSection(4)
export class AdminDashboard implements DashboardContributor {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async sectionFor(actor: Actor, ctx: DashboardContext): Promise<DashboardPanel[] | null> {
    if (actor.role !== 'admin') return null;
    const t = ctx.t;
    const tz = process.env.TZ || 'Asia/Shanghai';
    const [users, signIns, jobs, storage] = await Promise.all([
      this.db.query(USERS_BY_ROLE) as Promise<{ role: string; active: number; inactive: number }[]>,
      this.db.query(SIGN_INS, [tz]) as Promise<{ day: string; ok: number; failed: number }[]>,
      this.db.query(FAILED_JOBS) as Promise<{ name: string; failed: number; last_at: Date | null }[]>,
      this.db.query(STORAGE_BY_KIND) as Promise<{ kind: string; files: number; bytes: string }[]>,
    ]);
    return [
      {
        title: 'reports:dashboard.admin.users', items: [],
        chart: { kind: 'bar', stacked: true, categories: users.map((u) => t(`reports:role.${u.role}`)), series: [{ name: t('reports:col.active'), data: users.map((u) => u.active) }, { name: t('reports:col.inactive'), data: users.map((u) => u.inactive) }] },
        table: { columns: [{ label: 'reports:col.role' }, { label: 'reports:col.active', num: true }, { label: 'reports:col.inactive', num: true }], rows: users.map((u) => ({ cells: [`reports:role.${u.role}`, u.active, u.inactive] })) },
      },
      {
        title: 'reports:dashboard.admin.signIns', items: [],
        chart: { kind: 'line', categories: signIns.map((d) => d.day.slice(5)), series: [{ name: t('reports:col.signInOk'), data: signIns.map((d) => d.ok) }, { name: t('reports:col.signInFailed'), data: signIns.map((d) => d.failed) }] },
        table: { columns: [{ label: 'reports:col.day' }, { label: 'reports:col.signInOk', num: true }, { label: 'reports:col.signInFailed', num: true }], rows: signIns.map((d) => ({ cells: [d.day, d.ok, d.failed] })) },
      },
      {
        title: 'reports:dashboard.admin.storage', titleParams: { mb: megabytes(storage.reduce((a, s) => a + Number(s.bytes), 0)) }, items: [], emptyText: 'reports:dashboard.noDocuments',
        chart: { kind: 'bar', categories: storage.map((s) => t(`reports:docKind.${s.kind}`)), axes: ['MB'], series: [{ name: t('reports:col.megabytes'), data: storage.map((s) => megabytes(s.bytes)) }] },
        table: { columns: [{ label: 'reports:col.docKind' }, { label: 'reports:col.files', num: true }, { label: 'reports:col.megabytes', num: true }], rows: storage.map((s) => ({ cells: [`reports:docKind.${s.kind}`, s.files, megabytes(s.bytes)] })) },
      },
      {
        title: 'reports:dashboard.admin.failedJobs', emptyText: 'reports:dashboard.noFailedJobs',
        items: jobs.map((j) => ({ label: 'reports:dashboard.admin.jobItem', labelParams: { name: j.name, date: j.last_at ? formatDateTime(j.last_at) : '' }, value: 'reports:dashboard.count', valueParams: { count: j.failed }, href: '/admin/jobs', tone: 'bad' as const })),
      },
    ];
  }
}
