import { Readable } from 'node:stream';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { CsvImportError } from '../../src/core/csv/csv.util';
import { AccrualImportService } from '../../src/modules/settlement/accrual-import.service';
import { followJob } from '../support/jobs';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, HEADER } from './helpers';

describe('settlement pages: upload, preview, statements and inquiries, access control', () => {
  let t: TestApp;
  let a: { id: number; code: string }, b: { id: number; code: string };
  let batchId: number;

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.createPartner();
    b = await t.createPartner();
    fakeScores(t, { '2026Q3': { [a.id]: '72.00', [b.id]: '91.00' } });
  });
  afterAll(() => t?.close());

  it('a 100,000-line file with one bad row at the very end imports nothing and names that row and column', async () => {
    function* gen() {
      yield HEADER;
      for (let i = 0; i < 100_000; i += 5000) {
        let s = '';
        for (let j = i; j < i + 5000; j++) s += `${j % 2 ? a.code : b.code},C${j % 97},IoT,2026-08-${String(1 + (j % 28)).padStart(2, '0')},${(j % 1000) + 0.5},BIG-${j}\n`;
        yield s;
      }
      yield `${a.code},C1,IoT,2026-08-01,12.345,BIG-LAST\n`;
    }
    const progress: number[] = [];
    const err = await t.get(AccrualImportService).importStream(SYSTEM_ACTOR, '2026Q3', Readable.from(gen()), { onProgress: (n) => progress.push(n) }).catch((e) => e);
    expect(err).toBeInstanceOf(CsvImportError);
    expect((err as CsvImportError).errors).toEqual([{ row: 100_002, column: 'amount', message: 'settlement:csv.badAmount', params: { value: '12.345' } }]);
    expect(progress).toContain(100_000);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM accrual_line`))[0].n).toBe(0);
  }, 120_000);

  it('finance uploads accruals through the page and sees the draft preview sorted by a column', async () => {
    const finance = await t.loginAs('finance');
    const csv = `${HEADER}${a.code},CUST-A,Dedicated line,2026-07-10,1000.00,W-1\n${a.code},CUST-A,IoT,2026-07-11,500.00,W-2\n${b.code},CUST-B,IoT,2026-08-11,2000.00,W-3\n`;
    const up = await finance.upload('/settlement/accruals/import', 'file', csv, 'q3.csv', { period: '2026Q3' });
    // the upload runs as a job: its page shows the result and links to what it made
    const job = await followJob(finance, up);
    expect(job.result).toMatchObject({ ok: true, link: { href: '/settlement' } });
    expect(job.page).toContain('Imported 3 accrual line(s) for 2026Q3');
    expect(job.page).toMatch(/<progress max="3" value="3">/);
    // the batch run from the page is a job too, linking to the batch
    const run = await followJob(finance, await finance.postForm('/settlement/run', { period: '2026Q3' }));
    expect(run.result?.link?.href).toMatch(/^\/settlement\/batches\/\d+$/);
    batchId = Number(run.result!.link!.href.split('/').pop());
    expect(run.page).toContain(run.result!.link!.href);
    const page = await finance.get(`/settlement/batches/${batchId}?sort=total&dir=desc`).expect(200);
    expect(page.text.indexOf(b.code)).toBeLessThan(page.text.indexOf(a.code));
    // withheld by quality: 1500 × 10% × (1 − 72/90) = 30.00
    expect(page.text).toContain('30.00');
  });

  it('a partner sees only their own statement: the formula with their numbers, and 404 for another partner', async () => {
    const pa = await t.loginAs('partner', { partnerId: a.id });
    const mine = await pa.get('/my/statements/2026Q3').expect(200);
    expect(mine.text).toContain('CUST-A');
    expect(mine.text).toContain('Actual pay &#x3D; 1,500.00 × 90% + 1,500.00 × 10% × 0.800000 &#x3D; ¥1,470.00');
    expect(mine.text).not.toContain('CUST-B');
    expect((await pa.getJson(`/api/settlement/statements/${b.id}/2026Q3`)).status).toBe(404);
    expect((await pa.getJson(`/api/settlement/statements/${a.id}/2026Q3`)).status).toBe(200);
    expect((await pa.get(`/settlement/statements/${b.id}/2026Q3`)).status).toBe(403);
    const csv = await pa.get('/my/statements/2026Q3/csv').expect(200);
    expect(csv.text).toMatch(/^\uFEFF?section,customer_or_item/);
  });

  it('an inquiry on another partner line is 404; an own inquiry shows in the preview and an accepted one becomes an adjustment', async () => {
    const [lineB] = await t.db.query(`SELECT id FROM settlement_line WHERE partner_id = $1`, [b.id]);
    const [lineA] = await t.db.query(`SELECT id FROM settlement_line WHERE partner_id = $1`, [a.id]);
    const pa = await t.loginAs('partner', { partnerId: a.id });
    expect((await pa.post('/api/settlement/inquiries', { lineId: Number(lineB.id), amount: '1.00', reason: 'x' })).status).toBe(404);
    const ok = await pa.post('/api/settlement/inquiries', { lineId: Number(lineA.id), amount: '120.00', reason: 'July IoT accrual missing' });
    expect(ok.status).toBe(201);
    const finance = await t.loginAs('finance');
    const preview = await finance.get(`/settlement/batches/${batchId}`);
    expect(preview.text).toContain('July IoT accrual missing');
    const answer = await finance.postForm(`/settlement/inquiries/${ok.body.id}/answer`, { decision: 'accept', answer: 'confirmed with billing' });
    expect(answer.status).toBe(303);
    const [adj] = await t.db.query(`SELECT amount::text, kind FROM settlement_adjustment WHERE reference = $1`, [`inquiry:${ok.body.id}`]);
    expect(adj).toEqual({ amount: '120.00', kind: 'inquiry' });
  });

  it('approves through the API with a comment; the partner cannot', async () => {
    const pa = await t.loginAs('partner', { partnerId: a.id });
    expect((await pa.post(`/api/settlement/batches/${batchId}/approve`, { comment: 'x' })).status).toBe(403);
    const finance = await t.loginAs('finance');
    const res = await finance.post(`/api/settlement/batches/${batchId}/approve`, { comment: 'checked' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    const again = await finance.post(`/api/settlement/batches/${batchId}/approve`, { comment: 'checked' });
    expect(again.status).toBe(409);
  });
});
