import ExcelJS from 'exceljs';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportQuarterCommand } from '../../src/modules/reports/reports.commands';
import { DEMO_PASSWORD, runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { missingKeys } from '../../src/core/i18n/i18n';
import { englishWordsOnPage, rawKeys, visibleText } from '../i18n/page-text';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { gridRows, plain } from './html-table';

/** The reports: numbers equal the database, filters, sorting, pages, .xlsx with its header block, CSV with BOM, access. */
describe('reports', () => {
  let t: TestApp;
  let finance: Session;
  const binary = (s: Session, url: string) => s.agent.get(url).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

  beforeAll(async () => {
    t = await createTestApp();
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
    finance = await t.login('finance', DEMO_PASSWORD, 'zh-CN');
  }, 180_000);
  afterAll(() => t?.close());

  it('renders every report in zh-CN without raw keys or English words', async () => {
    for (const url of ['/reports', '/reports/ranking?period=2026Q3', '/reports/cost?from=2026Q2&to=2026Q3', '/reports/duties?period=2026Q3', '/reports/violations?from=2026Q1&to=2026Q4', '/reports/complaints?from=2026Q1&to=2026Q4']) {
      missingKeys.clear();
      const html = (await finance.get(url).expect(200)).text;
      expect([...missingKeys]).toEqual([]);
      const text = visibleText(html);
      expect(rawKeys(text)).toEqual([]);
      expect(englishWordsOnPage(text, new Set(['partner', 'demo', 'test']))).toEqual([]);
    }
  });

  it('ranking: Y, P, accrued and pay of the quarter equal the database, sorted and filtered', async () => {
    const db: { code: string; y: string | null; accrued: string; pay: string; region: string }[] = await t.db.query(`
      WITH s AS (SELECT DISTINCT ON (partner_id) partner_id, score_y FROM score_sheet WHERE period = '2026Q3' AND status <> 'draft' AND score_y IS NOT NULL ORDER BY partner_id, revision DESC),
           l AS (SELECT l.partner_id, sum(l.accrued) AS accrued, sum(l.total_pay) AS pay FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id
                  WHERE b.period = '2026Q3' AND b.status <> 'cancelled' GROUP BY l.partner_id)
      SELECT p.code, p.region, s.score_y::text AS y, COALESCE(l.accrued, 0)::text AS accrued, COALESCE(l.pay, 0)::text AS pay
        FROM partner p LEFT JOIN s ON s.partner_id = p.id LEFT JOIN l ON l.partner_id = p.id WHERE s.partner_id IS NOT NULL OR l.partner_id IS NOT NULL`);
    expect(db.length).toBeGreaterThan(1);
    const rows = gridRows((await finance.get('/reports/ranking?period=2026Q3').expect(200)).text);
    expect(rows).toHaveLength(db.length);
    const byCode = Object.fromEntries(db.map((r) => [r.code, r]));
    for (const r of rows) {
      const d = byCode[r[1]];
      expect([r[5], plain(r[7]), plain(r[8])]).toEqual([d.y ?? '', d.accrued, d.pay]);
    }
    // ranked by Y descending by default; ascending on request
    const ys = rows.map((r) => r[5]).filter(Boolean).map(Number);
    expect(ys).toEqual([...ys].sort((a, b) => b - a));
    const asc = gridRows((await finance.get('/reports/ranking?period=2026Q3&sort=pay&dir=asc').expect(200)).text).map((r) => Number(plain(r[8])));
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const region = db[0].region;
    const filtered = gridRows((await finance.get(`/reports/ranking?period=2026Q3&region=${encodeURIComponent(region)}`).expect(200)).text);
    expect(filtered).toHaveLength(db.filter((r) => r.region === region).length);
    expect(filtered.every((r) => r[3] === region)).toBe(true);
  });

  it('cost analysis: accrued per quarter, region and product adds up to the accrual lines of settled quarters', async () => {
    const [sum] = await t.db.query(`
      SELECT COALESCE(sum(a.amount), 0)::text AS accrued FROM accrual_line a
       WHERE a.period BETWEEN '2026Q2' AND '2026Q3' AND EXISTS (SELECT 1 FROM settlement_batch b JOIN settlement_line l ON l.batch_id = b.id
             WHERE b.period = a.period AND b.kind = 'regular' AND b.status <> 'cancelled' AND l.partner_id = a.partner_id)`);
    const res = await binary(finance, '/reports/cost?from=2026Q2&to=2026Q3&format=csv').expect(200);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split(/\r?\n/);
    expect(lines[0]).toBe('季度,地区,产品,合作伙伴数,应计酬金,酬金成本,质量扣减');
    const total = lines.slice(1).reduce((a, l) => a + Math.round(Number(l.split(',')[4]) * 100), 0);
    expect(total).toBe(Math.round(Number(sum.accrued) * 100));
    expect(lines.length).toBeGreaterThan(1);
  });

  it('duty completion: required and fulfilled per partner and stage equal the checklist', async () => {
    const [db] = await t.db.query(`SELECT sum(required_count)::int AS req, sum(least(fulfilled_count, required_count))::int AS ful, count(DISTINCT (partner_id, stage))::int AS n
      FROM checklist_item WHERE period = '2026Q3' AND status <> 'not_applicable' AND partner_id IS NOT NULL`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await binary(finance, '/reports/duties?period=2026Q3&format=xlsx').expect(200)).body as Buffer as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('服务职责完成情况');
    expect(ws.getRow(2).values).toEqual([undefined, '季度', '2026Q3']);
    expect(ws.getRow(3).getCell(1).value).toBe('导出时间');
    const header = 5;
    expect(ws.getRow(header).getCell(1).value).toBe('合作伙伴编码');
    let req = 0, ful = 0, n = 0;
    ws.eachRow((row, i) => { if (i > header) { req += Number(row.getCell(5).value); ful += Number(row.getCell(6).value); n++; } });
    expect([req, ful, n]).toEqual([db.req, db.ful, db.n]);
    // stage in words
    expect(String(ws.getRow(header + 1).getCell(4).value)).toMatch(/期$/);
  });

  it('violations and exits: counts per quarter equal the register', async () => {
    const [db] = await t.db.query(`SELECT count(*) FILTER (WHERE severity = 'minor')::int AS minor, count(*) FILTER (WHERE severity = 'major')::int AS major
      FROM violation WHERE status = 'recorded' AND occurred_on BETWEEN '2025-01-01' AND '2026-12-31'`);
    const [ex] = await t.db.query(`SELECT count(*)::int AS n FROM exit_proposal WHERE (proposed_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN '2025-01-01' AND '2026-12-31'`);
    const rows = gridRows((await finance.get('/reports/violations?from=2025Q1&to=2026Q4').expect(200)).text);
    const sum = (i: number) => rows.reduce((a, r) => a + Number(r[i]), 0);
    expect([sum(2), sum(3), sum(5)]).toEqual([db.minor, db.major, ex.n]);
    expect(db.minor + db.major + ex.n).toBeGreaterThan(0);
  });

  it('complaint timeliness: counted and on-time work orders per partner equal the complaints, against the target', async () => {
    const [db] = await t.db.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE first_resolved_at <= due_at)::int AS on_time FROM complaint
      WHERE partner_id IS NOT NULL AND (first_resolved_at IS NOT NULL OR due_at < now())`);
    expect(db.n).toBeGreaterThan(0);
    const rows = gridRows((await finance.get('/reports/complaints?from=2024Q1&to=2026Q4&target=90').expect(200)).text);
    expect(rows.reduce((a, r) => a + Number(r[4]), 0)).toBe(db.n);
    expect(rows.reduce((a, r) => a + Number(r[5]), 0)).toBe(db.on_time);
    for (const r of rows) expect(r[8]).toBe(Number(r[6]) >= 90 ? '达标' : '未达标');
    // without a target given, the complaints setting's target applies
    const [{ target }] = await t.db.query(`SELECT timeliness_target::text AS target FROM complaint_setting WHERE id = 1`);
    const byDefault = gridRows((await finance.get('/reports/complaints?from=2024Q1&to=2026Q4').expect(200)).text);
    expect(new Set(byDefault.map((r) => r[7]))).toEqual(new Set([target]));
  });

  it('pages long lists and keeps filters in the page links', async () => {
    const html = (await finance.get('/reports/ranking?period=2026Q3&page=999').expect(200)).text;
    expect(html).toContain('class="pager"');
    expect(html).toContain('href="/reports/ranking?period&#x3D;2026Q3&amp;format&#x3D;xlsx"');
    expect(gridRows(html).length).toBeGreaterThan(0);
  });

  it('is for staff only: partners get 403 on every report and its exports, anonymous users sign in first', async () => {
    const partner = await t.login('partner1', DEMO_PASSWORD, 'zh-CN');
    for (const url of ['/reports', '/reports/ranking', '/reports/cost?format=xlsx', '/reports/duties?format=csv', '/reports/violations', '/reports/complaints']) {
      await partner.get(url).expect(403);
      const anon = await t.anonymous().get(url);
      expect([302, 303, 401]).toContain(anon.status);
    }
    const nav = (await partner.get('/').expect(200)).text;
    expect(nav).not.toContain('href="/reports"');
    expect((await finance.get('/').expect(200)).text).toContain('href="/reports"');
  });

  it('writes the quarter-end pack: one .xlsx per main report, progress in zh-CN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pack-'));
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((m: string) => { lines.push(String(m)); });
    try {
      await t.get(ReportQuarterCommand).run([], { period: '2026Q3', out: dir });
    } finally { log.mockRestore(); }
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['2026Q3-01-合作伙伴季度排名.xlsx', '2026Q3-02-营销费用分析.xlsx', '2026Q3-03-服务职责完成情况.xlsx', '2026Q3-04-违规与合作退出统计.xlsx', '2026Q3-05-投诉处理及时率.xlsx']);
    expect(lines[0]).toContain('开始生成 2026Q3 季度报表包');
    expect(lines.filter((l) => /^\[\d\/5\]/.test(l))).toHaveLength(5);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, files[0]));
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('合作伙伴季度排名');
    expect(wb.worksheets[0].getRow(2).values).toEqual([undefined, '季度', '2026Q3']);
    const [n] = await t.db.query(`SELECT count(DISTINCT partner_id)::int AS n FROM score_sheet WHERE period = '2026Q3' AND status <> 'draft' AND score_y IS NOT NULL`);
    expect(wb.worksheets[0].rowCount).toBeGreaterThanOrEqual(5 + n.n);
  });
});
