import { Controller, Get, NotFoundException, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Actor } from '../auth/actor';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { buildPager, ListSpec, parseListQuery, plainQuery } from '../web/list-query';
import { JobQueue } from './job-queue.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATES = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'];
const JOB_LIST: ListSpec = { sortable: { created: 'j.created_on', queue: 'j.name', state: 'j.state' }, defaultSort: 'created', defaultDir: 'desc', pageSize: 50, tieBreaker: 'j.id' };

const JOB_COLUMNS = `j.id, j.name AS queue, j.state, j.retry_count AS "retryCount", j.retry_limit AS "retryLimit", j.created_on AS "createdOn",
  j.started_on AS "startedOn", j.completed_on AS "completedOn", j.output, p.done, p.total, p.note, p.created_by AS "createdBy", u.display_name AS "createdByName"`;

/** The Jobs page (admin): queued, running, failed with the error, done — with a retry button; and one job's progress for its starter. */
@ApiTags('jobs')
@Controller()
export class JobsController {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly jobs: JobQueue) {}

  @Get('admin/jobs')
  @Roles('admin')
  @Render('admin/jobs')
  async page(@Query() query: Record<string, unknown>) {
    const q = plainQuery(query);
    const list = parseListQuery(query, JOB_LIST);
    const state = STATES.includes(q.state) ? q.state : '';
    const queue = this.jobs.queueNames().includes(q.queue) ? q.queue : '';
    const where = `WHERE j.name NOT LIKE '\\_\\_%' ${state ? 'AND j.state = $1' : 'AND $1::text = $1::text'} ${queue ? 'AND j.name = $2' : 'AND $2::text = $2::text'}`;
    const params = [state || 'x', queue || 'x'];
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM pgboss.job j ${where}`, params);
    const rows = await this.db.query(
      `SELECT ${JOB_COLUMNS} FROM pgboss.job j LEFT JOIN job_progress p ON p.job_id = j.id LEFT JOIN user_account u ON u.id = p.created_by
        ${where} ORDER BY ${list.orderBy} LIMIT ${list.size} OFFSET ${list.offset}`, params);
    const counts = await this.db.query(`SELECT state, count(*)::int AS n FROM pgboss.job WHERE name NOT LIKE '\\_\\_%' GROUP BY state`);
    return {
      title: 'jobs:title', jobs: rows.map(view), states: STATES, queues: this.jobs.queueNames(), filter: { state, queue }, list,
      pager: buildPager(n, list, '/admin/jobs', query), counts: Object.fromEntries(counts.map((c: { state: string; n: number }) => [c.state, c.n])),
    };
  }

  @Post('admin/jobs/:id/retry')
  @Roles('admin')
  async retry(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    if (!UUID.test(id) || !(await this.jobs.retry(id))) throw new NotFoundException('jobs:errors.notFailed');
    req.flash('success', 'jobs:flash.retried');
    res.redirect(303, '/admin/jobs?state=retry');
  }

  /** One job's progress and result, for the person who started it (admins see every job). */
  @Get('jobs/:id')
  @AnyRole()
  @Render('admin/job')
  async one(@CurrentUser() actor: Actor, @Param('id') id: string) {
    return { title: 'jobs:one.title', job: await this.find(actor, id) };
  }

  @Get('api/jobs/:id')
  @AnyRole()
  async json(@CurrentUser() actor: Actor, @Param('id') id: string) {
    return this.find(actor, id);
  }

  private async find(actor: Actor, id: string) {
    if (!UUID.test(id)) throw new NotFoundException('jobs:errors.notFound');
    const [row] = await this.db.query(
      `SELECT ${JOB_COLUMNS}, p.result FROM pgboss.job j LEFT JOIN job_progress p ON p.job_id = j.id LEFT JOIN user_account u ON u.id = p.created_by WHERE j.id = $1
       UNION ALL
       SELECT ${JOB_COLUMNS.replace(/\bj\./g, 'a.')}, p.result FROM pgboss.archive a LEFT JOIN job_progress p ON p.job_id = a.id LEFT JOIN user_account u ON u.id = p.created_by WHERE a.id = $1
       LIMIT 1`, [id]);
    // someone else's job answers like a job that does not exist
    if (!row || (actor.role !== 'admin' && row.createdBy !== actor.id)) throw new NotFoundException('jobs:errors.notFound');
    return view(row);
  }
}

function view(r: Record<string, unknown>) {
  const done = r.done === null || r.done === undefined ? null : Number(r.done);
  const total = r.total === null || r.total === undefined ? null : Number(r.total);
  const output = r.output as { message?: string } | null;
  return {
    ...r, done, total,
    percent: total ? Math.min(100, Math.round(((done ?? 0) / total) * 100)) : r.state === 'completed' ? 100 : null,
    error: r.state === 'failed' || r.state === 'retry' ? output?.message ?? (output ? JSON.stringify(output) : null) : null,
    running: r.state === 'active' || r.state === 'created' || r.state === 'retry',
    result: typeof r.result === 'string' ? JSON.parse(r.result) : r.result ?? null,
  };
}
