import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { periodOfDate, previousPeriod, todayIso } from '../../src/core/period/period.util';
import { addDays } from '../../src/modules/duties/date.util';
import { DutiesService } from '../../src/modules/duties/duties.service';
import { RecordsImportService } from '../../src/modules/duties/records-import.service';
import { JobQueue } from '../../src/core/jobs/job-queue.service';
import { insertCustomer } from '../customers/fixtures';
import { followJob, jobIdOf, waitForJob } from '../support/jobs';
import { createTestApp, Session, TestApp } from '../support/test-app';

/** P: the last quarter (every date in it is past); PP: the one before, locked in the rules test. */
const P = previousPeriod(periodOfDate(todayIso()).code);
const PP = previousPeriod(P.code);
const HEADER = 'customer_code,record_type,occurred_at,description,received_at,outcome,amount,attachments\n';

describe('records CSV import as a job, set-based (web upload → job → result page)', () => {
  let t: TestApp;
  let p1: { id: number; code: string };
  let p2: { id: number; code: string };
  let s1: Session;
  let s2: Session;
  let mine: { id: number; code: string };
  const count = async (customerId: number) => (await t.db.query(`SELECT count(*)::int AS n FROM service_record WHERE customer_id = $1`, [customerId]))[0].n as number;

  beforeAll(async () => {
    t = await createTestApp();
    p1 = await t.createPartner();
    p2 = await t.createPartner();
    s1 = await t.loginAs('partner', { partnerId: p1.id });
    s2 = await t.loginAs('partner', { partnerId: p2.id });
    mine = await insertCustomer(t, { partnerId: p1.id, stage: 'development', cls: 'A' });
    await t.get(DutiesService).generate(SYSTEM_ACTOR, P.code);
  }, 60_000);
  afterAll(() => t?.close());

  it('imports a good file through the page: the job page shows the counts and links to the records; ticks and complaint limits as one by one', async () => {
    const d = addDays(P.start, 10);
    const csv = HEADER + [
      `${mine.code},visit,${d}T09:00,v1,,,,`,
      `${mine.code},visit,${d}T10:00,v2,,,,`,
      `${mine.code},complaint_handled,${d}T11:00,c1,${d}T09:30,solved,,`, // 1.5 h: within class A's 4 h
      `${mine.code},visit,${d}T12:00,v3,,,,a.pdf;b.jpg`,
      `${mine.code},visit,${d}T13:00,v4,,,,`,
      `${mine.code},complaint_handled,${d}T18:00,c2,${d}T09:00,late,,`, // 9 h: late
    ].join('\n');
    const res = await s1.upload('/my/records/import', 'file', csv, '服务记录.csv');
    expect(res.status).toBe(303);
    const id = jobIdOf(res);
    // the file is kept in the database until the job finishes (any process can run it)
    const job = await followJob(s1, res);
    expect(job.state).toBe('completed');
    expect(job.result).toMatchObject({ ok: true, params: { records: 6, ticked: 6 }, link: { href: '/my/records' } });
    expect([job.done, job.total]).toEqual([6, 6]);
    expect(job.page).toContain('Imported 6 record(s); 6 checklist tick(s).');
    expect(job.page).toContain('href="/my/records"');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM job_upload`))[0].n).toBe(0);
    // its starter is told in the inbox (#15), once, with the link to what it made
    const told = await t.db.query(`SELECT kind, link, params FROM notification WHERE event_key = $1`, [`import.finished:${id}`]);
    expect(told).toEqual([{ kind: 'import.finished', link: '/my/records', params: expect.objectContaining({ what: 'jobs:queue.records.import', rows: 6 }) }]);
    // promotion (3 × promotion/visit) and customer service (3 × …/complaint/visit) each took exactly 3 ticks
    const items = await t.db.query(`SELECT t.code, ci.status, ci.fulfilled_count AS n FROM checklist_item ci JOIN duty_template t ON t.id = ci.duty_template_id
      WHERE ci.customer_id = $1 AND ci.period = $2 AND t.code IN ('promotion', 'customer_service') ORDER BY t.code`, [mine.id, P.code]);
    expect(items).toEqual([{ code: 'customer_service', status: 'fulfilled', n: 3 }, { code: 'promotion', status: 'fulfilled', n: 3 }]);
    const complaints = await t.db.query(`SELECT description, complaint_sla_hours AS h, complaint_on_time AS "onTime" FROM service_record
      WHERE customer_id = $1 AND record_type = 'complaint_handled' ORDER BY description`, [mine.id]);
    expect(complaints).toEqual([{ description: 'c1', h: 4, onTime: true }, { description: 'c2', h: 4, onTime: false }]);
    const [att] = await t.db.query(`SELECT attachment_names AS a, period, partner_id AS p FROM service_record WHERE description = 'v3' AND customer_id = $1`, [mine.id]);
    expect(att).toEqual({ a: ['a.pdf', 'b.jpg'], period: P.code, p: p1.id });
    // only the starter (and admins) see the job: another partner gets 404, as for a job that does not exist
    expect((await s2.get(`/jobs/${id}`)).status).toBe(404);
    expect((await s2.getJson(`/api/jobs/${id}`)).status).toBe(404);
    expect((await (await t.loginAs('admin')).getJson(`/api/jobs/${id}`)).status).toBe(200);
  }, 60_000);

  it('refuses every rule with its row and column, set-based, and imports nothing (API and page)', async () => {
    const d = addDays(P.start, 20);
    const theirs = await insertCustomer(t, { partnerId: p2.id });
    const later = await insertCustomer(t, { partnerId: p1.id, from: addDays(d, 1) });
    await t.get(DutiesService).lockQuarter(SYSTEM_ACTOR, PP.code, 'test');
    const long = (n: number) => 'x'.repeat(n);
    const ok = `${mine.code},visit,${d}T10:00,fine,,,,`;
    const rows: [string, string][] = [
      [`${mine.code},visit,${d}T10:00,x,,,,,EXTRA`, '(row)'],
      [`,visit,${d}T10:00,x,,,,`, 'customer_code'],
      [`NOPE-404,visit,${d}T10:00,x,,,,`, 'customer_code'],
      [`${theirs.code},visit,${d}T10:00,x,,,,`, 'customer_code'],
      [`${later.code},visit,${d}T10:00,x,,,,`, 'customer_code'],
      [`${mine.code},visit,${addDays(PP.start, 5)}T10:00,x,,,,`, 'occurred_at'],
      [`${mine.code},dance,${d}T10:00,x,,,,`, 'record_type'],
      [`${mine.code},visit,yesterday,x,,,,`, 'occurred_at'],
      [`${mine.code},visit,2099-01-01T10:00,x,,,,`, 'occurred_at'],
      [`${mine.code},complaint_handled,${d}T10:00,x,,,,`, 'received_at'],
      [`${mine.code},complaint_handled,${d}T10:00,x,${d}T11:00,,,`, 'received_at'],
      [`${mine.code},visit,${d}T10:00,x,${d}T09:00,,,`, 'received_at'],
      [`${mine.code},visit,${d}T10:00,,,,,`, 'description'],
      [`${mine.code},visit,${d}T10:00,${long(2001)},,,,`, 'description'],
      [`${mine.code},visit,${d}T10:00,x,,${long(1001)},,`, 'outcome'],
      [`${mine.code},visit,${d}T10:00,x,,,abc,`, 'amount'],
      [`${mine.code},arrears_collected,${d}T10:00,x,,,,`, 'amount'],
      [`${mine.code},visit,${d}T10:00,x,,,,${Array.from({ length: 11 }, (_, i) => `f${i}.pdf`).join(';')}`, 'attachments'],
      [`${mine.code},visit,${d}T10:00,x,,,,a/b.pdf`, 'attachments'],
    ];
    const csv = HEADER + [...rows.map((r) => r[0]), ok].join('\n');
    const before = await count(mine.id);
    const api = await s1.upload('/api/records/import', 'file', csv);
    expect(api.status).toBe(422);
    expect(api.body.rows.map((r: { row: number; column: string }) => `${r.row}:${r.column}`)).toEqual(rows.map((r, i) => `${i + 2}:${r[1]}`));
    const messages = api.body.rows.map((r: { message: string }) => r.message);
    expect(messages.slice(0, 6)).toEqual([
      'more cells than columns in the header', 'required: the customer code', 'no customer NOPE-404 among your customers',
      `${theirs.code} is not your customer on ${d}`, `${later.code} is not your customer on ${d}`, `quarter ${PP.code} is locked`,
    ]);
    expect(await count(mine.id)).toBe(before);

    // the same file through the page: the job keeps the refusal, its page lists the rows, nothing changed
    const job = await followJob(s1, await s1.upload('/my/records/import', 'file', csv));
    expect(job.result).toMatchObject({ ok: false, errorTotal: rows.length });
    expect(job.result!.errors!.map((e) => `${e.row}:${e.column}`)).toEqual(rows.map((r, i) => `${i + 2}:${r[1]}`));
    expect(job.page).toMatch(/19 problem\(s\) in the file; nothing was imported/i);
    expect(job.page).toMatch(/<td[^>]*>7<\/td><td[^>]*><code>occurred_at<\/code><\/td><td[^>]*>quarter [0-9Q]+ is locked<\/td>/);
    expect(await count(mine.id)).toBe(before);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM job_upload`))[0].n).toBe(0);
    await t.get(DutiesService).unlockQuarter(SYSTEM_ACTOR, PP.code, 'test');
  }, 60_000);

  it('shows only the first 200 row errors of a big bad file, with the total', async () => {
    const d = addDays(P.start, 5);
    const csv = HEADER + Array.from({ length: 450 }, (_, i) => `NOPE-${i},visit,${d}T10:00,x,,,,`).join('\n');
    const job = await followJob(s1, await s1.upload('/my/records/import', 'file', csv));
    expect(job.result!.errors).toHaveLength(200);
    expect(job.result!.errorTotal).toBe(450);
    expect(job.page).toContain('Showing the first 200 of 450');
  }, 60_000);

  it('imports a file once per key: a job retried after its commit answers the first run\'s counts', async () => {
    const svc = t.get(RecordsImportService);
    const d = addDays(P.start, 30);
    const csv = `customer_code,record_type,occurred_at,description\n${mine.code},consultation,${d}T10:00,once\n${mine.code},consultation,${d}T11:00,once\n`;
    const before = await count(mine.id);
    const actor = { id: s1.user!.id, username: s1.user!.username, displayName: 'p', role: 'partner' as const, partnerId: p1.id };
    const first = await svc.importCsv(actor, csv, { key: 'job:test-once' });
    const again = await svc.importCsv(actor, csv, { key: 'job:test-once' });
    expect([first.records, again.records, again.ticked]).toEqual([2, 2, first.ticked]);
    expect(await count(mine.id)).toBe(before + 2);
  });

  it('shows a failed job\'s message (a key) translated for its starter', async () => {
    const jobs = t.get(JobQueue);
    jobs.define({ name: 'test.fails-with-key', retryLimit: 0, handle: async () => { throw new Error('jobs:errors.uploadGone'); } });
    const zh = await t.loginAs('partner', { partnerId: p1.id });
    const me = (await zh.getJson('/api/auth/me')).body;
    const id = await jobs.enqueue('test.fails-with-key', {}, { createdBy: me.id });
    const job = await waitForJob(zh, id);
    expect(job.state).toBe('failed');
    const page = await zh.get(`/jobs/${id}`).set('Accept-Language', 'zh-CN').expect(200);
    expect(page.text).toContain('上传的文件已不存在，请重新上传');
    expect(page.text).not.toContain('jobs:errors.uploadGone');
  }, 60_000);

  it('staff cannot upload records (partners only); a file without rows is refused by the job, kept as its result and not retried', async () => {
    const admin = await t.loginAs('admin');
    const res = await admin.upload('/my/records/import', 'file', HEADER);
    expect(res.status).toBe(403);
    // a header-only file: the job completes with the refusal (a refusal is never retried)
    const job = await waitForJob(s1, jobIdOf(await s1.upload('/my/records/import', 'file', HEADER)));
    expect(job.state).toBe('completed');
    expect(job.result).toMatchObject({ ok: false, message: 'common:csv.refused' });
  }, 60_000);
});
