import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { missingKeys } from '../../src/core/i18n/i18n';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { englishWordsOnPage, rawKeys, visibleText } from '../i18n/page-text';
import { followJob } from '../support/jobs';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { fakeScores, HEADER } from './helpers';

/** Reads an Excel download into rows of cell texts. */
async function xlsxRows(res: { body: unknown }): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as never);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}
const binary = (r: import('supertest').Test) => r.buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (d: Buffer) => chunks.push(d));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});

describe('settlement pages in Chinese: lists, forms, statement, CSV row errors', () => {
  let t: TestApp;
  let zh: Session;
  let a: { id: number; code: string };
  let batchId: number;

  beforeAll(async () => {
    t = await createTestApp();
    t.lang = 'zh-CN';
    a = await t.createPartner();
    const b = await t.createPartner();
    fakeScores(t, { '2026Q3': { [a.id]: '72.00', [b.id]: '95.00' } });
    zh = await t.loginAs('finance');
    const csv = `${HEADER}${a.code},CUST-A,云桌面,2026-07-10,1000.00,ZH-1\n${a.code},CUST-A,物联网卡,2026-07-11,500.00,ZH-2\n${b.code},CUST-B,集团宽带,2026-08-11,2000.00,ZH-3\n`;
    const imported = await followJob(zh, await zh.upload('/settlement/accruals/import', 'file', csv, 'q3.csv', { period: '2026Q3' }));
    expect(imported.result).toMatchObject({ ok: true, params: { count: 3 } });
    batchId = (await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3')).batchId;
    // 60 cancelled batches of other periods, for paging
    await t.db.query(`INSERT INTO settlement_batch (period, kind, status, formula_version, cancel_reason, cancelled_at)
      SELECT (2000 + g / 4)::text || 'Q' || (1 + g % 4)::text, 'regular', 'cancelled', '2026.1-90/10', '测试数据', now() FROM generate_series(0, 59) g`);
  }, 60_000);
  afterAll(() => t?.close());

  it('renders the settlement pages in zh-CN with statuses, kinds and money in Chinese', async () => {
    const index = await zh.get('/settlement').expect(200);
    expect(index.text).toContain('<html lang="zh-CN">');
    for (const s of ['费用结算', '结算批次', '生成结算批次', '导入应计酬金', '扣款与调整', '付款确认', '常规结算', '草稿']) expect(index.text).toContain(s);
    const batch = await zh.get(`/settlement/batches/${batchId}`).expect(200);
    for (const s of ['各合作伙伴预览', '实得酬金', '服务质量系数 P', '审批意见', '0.800000', '¥']) expect(batch.text).toContain(s);
    const inquiries = await zh.get('/settlement?view=inquiries').expect(200);
    expect(inquiries.text).toContain('询问');
    // no English UI word, raw or missing key on any settlement page (names and codes of the data aside)
    const data: { w: string }[] = await t.db.query(`SELECT name AS w FROM partner UNION SELECT code FROM partner UNION SELECT username FROM user_account UNION SELECT display_name FROM user_account`);
    const dataWords = new Set(data.flatMap((r) => (r.w ?? '').toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []));
    for (const url of ['/settlement', '/settlement?view=inquiries', `/settlement/batches/${batchId}`, `/settlement/statements/${a.id}/2026Q3`]) {
      missingKeys.clear();
      const text = visibleText((await zh.get(url).expect(200)).text);
      expect({ url, missing: [...missingKeys], raw: rawKeys(text), english: englishWordsOnPage(text, dataWords) }).toEqual({ url, missing: [], raw: [], english: [] });
    }
  });

  it('shows the statement (对账单) with the formula and the partner\'s numbers in Chinese', async () => {
    const pa = await t.loginAs('partner', { partnerId: a.id });
    const page = await pa.get('/my/statements/2026Q3').expect(200);
    expect(page.text).toContain('实得酬金 &#x3D; 应计酬金 × 90% + 应计酬金 × 10% × P');
    expect(page.text).toContain('实得酬金 &#x3D; 1,500.00 × 90% + 1,500.00 × 10% × 0.800000 &#x3D; ¥1,470.00');
    expect(page.text).toContain('P &#x3D; Y ÷ 90 &#x3D; 72.00 ÷ 90 ≈ 0.800000');
    expect(page.text).toContain('结算批次 #');
    expect(page.text).toContain('草稿');
    const list = await pa.get('/my/statements').expect(200);
    expect(list.text).toContain('¥1,500.00');
    const xlsx = await binary(pa.get('/my/statements/2026Q3?format=xlsx')).expect(200);
    const rows = await xlsxRows(xlsx);
    expect(rows.find((r) => r[0] === '项目')).toEqual(['项目', '客户或批次', '产品或说明', '行数', '金额', '备注']);
    expect(rows.some((r) => r[0] === '实得酬金' && r[4] === '1470')).toBe(true);
  });

  it('sorts, pages and exports the batches list; nonsense parameters are ignored', async () => {
    const page2 = await zh.get('/settlement?status=cancelled&sort=period&dir=asc&page=2').expect(200);
    expect(page2.text).toContain('第 51–60 条，共 60 条');
    expect(page2.text).toContain('已取消');
    expect(page2.text.indexOf('2013Q1')).toBeLessThan(page2.text.indexOf('2014Q4'));
    expect(page2.text).not.toContain('>2000Q1<');
    await zh.get('/settlement?sort=nope&dir=sideways&page=abc&status=zzz&kind[]=x&period=bad').expect(200);
    await zh.get(`/settlement/batches/${batchId}?sort=nope&page=-1&q=%25`).expect(200);
    const xlsx = await binary(zh.get('/settlement?status=cancelled&sort=period&format=xlsx')).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const rows = await xlsxRows(xlsx);
    expect(rows[0][0]).toBe('结算批次');
    const header = rows.findIndex((r) => r[0] === '结算批次' && r[1] === '结算周期');
    expect(rows[header]).toEqual(['结算批次', '结算周期', '类型', '状态', '合作伙伴编码', '行数', '实得酬金', '计算时间', '审批时间', '付款时间']);
    expect(rows.length - header - 1).toBe(60);
    expect(rows[header + 1][1]).toBe('2000Q1');
    expect(rows[header + 1][3]).toBe('已取消');
    expect(rows.some((r) => r[0] === '状态' && r[1] === '已取消')).toBe(true);
  });

  it('sorts the batch lines by a column and gives them as Excel with Chinese headers', async () => {
    const page = await zh.get(`/settlement/batches/${batchId}?sort=total&dir=desc`).expect(200);
    expect(page.text).toContain('aria-sort="descending"');
    const xlsx = await binary(zh.get(`/settlement/batches/${batchId}?format=xlsx&sort=total&dir=desc`)).expect(200);
    const rows = await xlsxRows(xlsx);
    const header = rows.findIndex((r) => r[0] === '合作伙伴编码');
    expect(rows[header].slice(0, 6)).toEqual(['合作伙伴编码', '合作伙伴名称', '行数', '应计酬金', '考核得分 Y', '服务质量系数 P']);
    expect(rows.length - header - 1).toBe(2);
    expect(rows[header + 2][0]).toBe(a.code);
    expect(rows[header + 2][5]).toBe('0.8');
  });

  it('brings a refused adjustment form back with what was typed and the message beside the field', async () => {
    const res = await zh.postForm('/settlement/adjustments', { partnerCode: 'NO-SUCH', amount: '-500.00', kind: 'clawback', reference: 'ZH-ADJ-1', reason: '客户退订，追回酬金' })
      .set('Host', 'portal.test').set('Referer', 'http://portal.test/settlement');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/settlement');
    const page = await zh.get(res.headers.location).set('Host', 'portal.test').expect(200);
    expect(page.text).toContain('value="NO-SUCH"');
    expect(page.text).toContain('value="-500.00"');
    expect(page.text).toContain('value="客户退订，追回酬金"');
    expect(page.text).toMatch(/<option value="clawback" selected>追回<\/option>/);
    expect(page.text).toMatch(/id="adj-partner"[^>]*aria-invalid="true"[^>]*>\s*<span class="field-error" id="err-partnerCode" role="alert">未知的合作伙伴“NO-SUCH”<\/span>/);
  });

  it('names the row and column of a bad accrual file in Chinese', async () => {
    const csv = `${HEADER}${a.code},CUST-A,云桌面,2026-07-10,1000.00,ZH-ERR-1\n${a.code},CUST-A,云桌面,2026-07-12,12.345,ZH-ERR-2\nNOPE,CUST-A,云桌面,2026-07-13,1.00,ZH-ERR-3\n`;
    const res = await zh.upload('/settlement/accruals/import', 'file', csv, 'bad.csv', { period: '2026Q3' }).set('Host', 'portal.test').set('Referer', 'http://portal.test/settlement');
    const job = await followJob(zh, res);
    expect(job.result).toMatchObject({ ok: false, errorTotal: 2 });
    // the job page shows the refusal and each bad row with its column, in Chinese
    expect(job.page).toContain('未导入任何数据');
    expect(job.page).toMatch(/<td[^>]*>3<\/td><td[^>]*><code>amount<\/code><\/td><td[^>]*>“12.345”不是有效金额/);
    expect(job.page).toMatch(/<td[^>]*>4<\/td><td[^>]*><code>partner_code<\/code><\/td><td[^>]*>未知的合作伙伴“NOPE”/);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM accrual_line WHERE reference LIKE 'ZH-ERR-%'`);
    expect(n).toBe(0);
  });
});
