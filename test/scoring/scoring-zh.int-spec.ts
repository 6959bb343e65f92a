import ExcelJS from 'exceljs';
import { missingKeys } from '../../src/core/i18n/i18n';
import { englishWordsOnPage, rawKeys, visibleText } from '../i18n/page-text';
import { createTestApp, Session, TestApp } from '../support/test-app';

/** Scoring speaks Chinese: pages, the sheet editor's refused form, the sheet list (sort, pages, Excel) and CSV row errors. */
describe('scoring in zh-CN', () => {
  let t: TestApp;
  let manager: Session;
  let a: { id: number; code: string; name: string };
  const PERIOD = '2026Q2';
  const dataWords = new Set<string>(['test', 'partner', 'admin', 'channelmanager']);

  const binary = (s: Session, url: string) => s.agent.get(url).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  const noEnglish = (html: string) => {
    const text = visibleText(html);
    expect(rawKeys(text)).toEqual([]);
    expect(englishWordsOnPage(text, dataWords)).toEqual([]);
  };

  beforeAll(async () => {
    t = await createTestApp();
    t.lang = 'zh-CN';
    a = await t.createPartner();
    for (let i = 0; i < 3; i++) await t.createPartner();
    manager = await t.loginAs('channel_manager');
    await manager.postForm('/scoring/open', { period: PERIOD, disputeWindowDays: 7 }).expect(303);
  });
  afterAll(() => t?.close());

  it('renders the periods, period overview, schemes and sheet editor in Chinese with the indicators\' Chinese names', async () => {
    const index = (await manager.get('/scoring').expect(200)).text;
    expect(index).toContain('季度考核');
    expect(index).toContain('开启季度考核');
    expect(index).toMatch(/<label for="open-period">考核周期/);
    noEnglish(index);

    const overview = (await manager.get(`/scoring/${PERIOD}`).expect(200)).text;
    expect(overview).toContain(`${PERIOD} 考核`);
    expect(overview).toContain('考核得分 (Y) 分布');
    expect(overview).toContain('60 分以下');
    expect(overview).toContain('草稿');
    expect(overview).toContain('<svg');
    noEnglish(overview);

    const schemes = (await manager.get('/scoring/schemes').expect(200)).text;
    for (const name of ['服务职责完成率（季度职责清单）', '投诉处理及时率', '服务态度（客户满意度、服务礼仪）', '合规经营（按违规扣分）']) expect(schemes).toContain(name);
    expect(schemes).toContain('自动计算：服务职责完成率');
    expect(schemes).toContain('默认考核方案（系统初始化）');
    noEnglish(schemes);

    const [sheet] = await t.db.query(`SELECT id FROM score_sheet WHERE partner_id = $1 AND period = $2`, [a.id, PERIOD]);
    const editor = (await manager.get(`/scoring/sheets/${sheet.id}`).expect(200)).text;
    expect(editor).toContain('专业质量（业务知识、办理规范）');
    expect(editor).toContain('应履行服务职责 0 项，已完成 0 项');
    expect(editor).toContain('无违规');
    expect(editor).toMatch(/<label class="sr-only" for="score-PROFESSIONAL_QUALITY">得分：专业质量/);
    noEnglish(editor);
    expect([...missingKeys].filter((k) => /scoring:|violations:/.test(k))).toEqual([]);
  });

  it('a refused score comes back with what was typed and the Chinese message beside the indicator\'s input', async () => {
    const [sheet] = await t.db.query(`SELECT id FROM score_sheet WHERE partner_id = $1 AND period = $2`, [a.id, PERIOD]);
    const res = await manager.postForm(`/scoring/sheets/${sheet.id}/lines`, { score_PROFESSIONAL_QUALITY: '120', comment_PROFESSIONAL_QUALITY: '走访记录不全', score_SERVICE_ATTITUDE: '88' })
      .set('Host', 'portal.test').set('Referer', `http://portal.test/scoring/sheets/${sheet.id}`).expect(303);
    expect(res.headers.location).toBe(`/scoring/sheets/${sheet.id}`);
    const page = (await manager.get(res.headers.location).expect(200)).text;
    expect(page).toMatch(/name="score_PROFESSIONAL_QUALITY" value="120"/);
    expect(page).toMatch(/name="comment_PROFESSIONAL_QUALITY" value="走访记录不全"/);
    expect(page).toMatch(/name="score_SERVICE_ATTITUDE" value="88"/);
    // the message sits right after the refused input, in Chinese
    expect(page).toMatch(/name="score_PROFESSIONAL_QUALITY" value="120"[^>]*aria-invalid="true"[^>]*><span class="field-error" id="err-PROFESSIONAL_QUALITY-score" role="alert">“120”不是有效得分：请填写 0 到 100 之间的数字，最多 2 位小数<\/span>/);
    expect(page).toContain('有 1 处需要修改');
    // nothing was saved
    const [line] = await t.db.query(`SELECT l.score FROM score_sheet_line l JOIN scoring_indicator i ON i.id = l.indicator_id WHERE l.sheet_id = $1 AND i.code = 'SERVICE_ATTITUDE'`, [sheet.id]);
    expect(line.score).toBeNull();
  });

  it('a computed indicator refused in the editor names it in Chinese', async () => {
    const [sheet] = await t.db.query(`SELECT id FROM score_sheet WHERE partner_id = $1 AND period = $2`, [a.id, PERIOD]);
    const res = await manager.put(`/api/scoring/sheets/${sheet.id}/lines`, { lines: [{ indicatorCode: 'DUTY_COMPLETION', score: '50' }] });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('“服务职责完成率（季度职责清单）”由数据自动计算，只能在处理申诉或修订时修改。');
    expect(res.body.errors[0].field).toBe('DUTY_COMPLETION.score');
  });

  it('the sheet list sorts, pages, ignores nonsense in the query and exports to Excel with Chinese headers', async () => {
    const codes = (await t.db.query(`SELECT p.code FROM score_sheet s JOIN partner p ON p.id = s.partner_id WHERE s.period = $1 ORDER BY p.code DESC`, [PERIOD]))
      .map((r: { code: string }) => r.code);
    const desc = (await manager.get(`/scoring/${PERIOD}?sort=partner&dir=desc`).expect(200)).text;
    const order = codes.map((c: string) => desc.indexOf(`<code>${c}</code>`));
    expect(order.every((p: number, i: number) => p > 0 && (i === 0 || p > order[i - 1]))).toBe(true);
    expect(desc).toMatch(/aria-sort="descending"/);
    expect(desc).toContain(`第 1–${codes.length} 条，共 ${codes.length} 条`);
    // unknown sort, a page beyond the end and a strange status are ignored
    await manager.get(`/scoring/${PERIOD}?sort=evil;drop&dir=sideways&page=abc&status=nonsense&q[]=x`).expect(200);
    const filtered = (await manager.get(`/scoring/${PERIOD}?q=${encodeURIComponent(a.code)}`).expect(200)).text;
    expect(filtered).toContain(`第 1–1 条，共 1 条`);

    const res = await binary(manager, `/scoring/${PERIOD}?format=xlsx&sort=partner&dir=desc&status=draft`).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0][0]).toBe(`${PERIOD} 考核表`);
    expect(rows.some((r) => r[0] === '状态' && r[1] === '草稿')).toBe(true);
    const header = rows.findIndex((r) => r[0] === '合作伙伴编码');
    expect(rows[header]).toEqual(['合作伙伴编码', '合作伙伴名称', '状态', '修订版本', '考核得分 (Y)', '服务质量系数 (P)', '申诉截止', '不可申诉']);
    expect(rows.slice(header + 1).map((r) => r[0])).toEqual(codes);
  });

  it('a refused CSV import lists its rows in Chinese ("第 N 行")', async () => {
    const csv = ['partner_code,indicator_code,score,comment', `${a.code},PROFESSIONAL_QUALITY,88,好`, `${a.code},DUTY_COMPLETION,50,`, 'NOPE,SERVICE_ATTITUDE,80,'].join('\n');
    const res = await manager.upload(`/scoring/${PERIOD}/import`, 'file', csv).set('Host', 'portal.test').set('Referer', `http://portal.test/scoring/${PERIOD}`);
    expect(res.status).toBe(303);
    const page = (await manager.get(res.headers.location).expect(200)).text;
    expect(page).toContain('文件中有 2 处问题，未导入任何数据。');
    expect(page).toContain('第 3 行，列 indicator_code：DUTY_COMPLETION 由数据自动计算，不能导入');
    expect(page).toContain('第 4 行，列 partner_code：没有编码为 NOPE 的合作伙伴');
    const api = await manager.upload(`/api/scoring/periods/${PERIOD}/import`, 'file', csv);
    expect(api.body.rows[1]).toEqual({ row: 4, column: 'partner_code', message: '没有编码为 NOPE 的合作伙伴' });
  });

  it('the partner reads the home panel, my scores and the dispute form in Chinese; a dispute without a reason comes back', async () => {
    const [sheet] = await t.db.query(`SELECT id FROM score_sheet WHERE partner_id = $1 AND period = $2`, [a.id, PERIOD]);
    await manager.put(`/api/scoring/sheets/${sheet.id}/lines`, { lines: [{ indicatorCode: 'PROFESSIONAL_QUALITY', score: '80' }, { indicatorCode: 'SERVICE_ATTITUDE', score: '70' }] }).expect(200);
    await manager.post(`/api/scoring/sheets/${sheet.id}/submit`).expect(201);
    const user = await t.loginAs('partner', { partnerId: a.id });
    const home = (await user.get('/').expect(200)).text;
    expect(home).toContain('我的服务质量考核');
    expect(home).toMatch(/2026Q2 · 已提交（申诉截止 \d{4}-\d{2}-\d{2}）/);
    const mine = (await user.get('/my/scores').expect(200)).text;
    expect(mine).toContain('我的考核');
    expect(mine).toContain('已提交');
    noEnglish(mine);
    const own = (await user.get(`/my/scores/${sheet.id}`).expect(200)).text;
    expect(own).toContain('对得分有异议？');
    expect(own).toMatch(/<label for="dispute-reason" class="wide">申诉理由/);
    noEnglish(own);
    const res = await user.postForm(`/my/scores/${sheet.id}/dispute`, { reason: '   ' }).set('Host', 'portal.test').set('Referer', `http://portal.test/my/scores/${sheet.id}`).expect(303);
    const back = (await user.get(res.headers.location).expect(200)).text;
    expect(back).toMatch(/<span class="field-error" id="err-reason" role="alert">请说明申诉理由。<\/span>/);
  });
});
