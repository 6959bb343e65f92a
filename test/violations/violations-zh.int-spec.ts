import ExcelJS from 'exceljs';
import { missingKeys } from '../../src/core/i18n/i18n';
import { englishWordsOnPage, rawKeys, visibleText } from '../i18n/page-text';
import { createTestApp, Session, TestApp } from '../support/test-app';

/** The violations register and the partner's pages in zh-CN: Chinese kinds and severities, forms that keep input, lists. */
describe('violations in zh-CN', () => {
  let t: TestApp;
  let manager: Session;
  let a: { id: number; code: string; name: string };
  let b: { id: number; code: string; name: string };
  let kinds: Record<string, number>;
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
    b = await t.createPartner();
    manager = await t.loginAs('channel_manager');
    kinds = Object.fromEntries((await t.db.query(`SELECT code, id FROM violation_kind`)).map((k: { code: string; id: number }) => [k.code, k.id]));
    // 55 older violations of partner B (minor, missing service), one major one of partner A
    await t.db.query(
      `INSERT INTO violation (partner_id, occurred_on, kind_id, severity, score_deduction, penalty_amount, description, evidence_names, response_due_on, status)
       SELECT $1, DATE '2026-01-01' + g, $2, 'minor', 2.00, 200.00, '未按要求走访客户 ' || g, '{}', DATE '2026-01-08' + g, 'recorded' FROM generate_series(1, 55) g`,
      [b.id, kinds.missing_service]);
    await manager.post('/api/violations', { partnerId: a.id, occurredOn: '2026-08-10', kindId: kinds.overcharging, description: '重复收取安装费', evidenceNames: '发票.pdf' }).expect(201);
  });
  afterAll(() => t?.close());

  it('renders the register, the record form, a violation and the kinds in Chinese', async () => {
    const register = (await manager.get('/violations').expect(200)).text;
    expect(register).toContain('违规登记簿');
    expect(register).toContain('违规收费');
    expect(register).toContain('重大违规');
    expect(register).toContain('未履行服务职责');
    expect(register).toContain('一般违规');
    noEnglish(register);
    const form = (await manager.get('/violations/new').expect(200)).text;
    expect(form).toMatch(/<label for="v-date">发生日期/);
    expect(form).toContain('虚假业务办理 · 重大违规 · 扣 10.00 分 · 扣款 ¥5,000.00');
    noEnglish(form);
    const [v] = await t.db.query(`SELECT id FROM violation WHERE partner_id = $1`, [a.id]);
    const detail = (await manager.get(`/violations/${v.id}`).expect(200)).text;
    expect(detail).toContain('违规收费（重大违规）');
    expect(detail).toContain('¥3,000.00');
    noEnglish(detail);
    const kindsPage = (await (await t.loginAs('admin')).get('/violations/kinds').expect(200)).text;
    expect(kindsPage).toContain('客户信息泄露');
    expect(kindsPage).toContain('合作伙伴答复期限（天）');
    noEnglish(kindsPage);
    expect([...missingKeys].filter((k) => /violations:|scoring:/.test(k))).toEqual([]);
  });

  it('a refused violation comes back with what was typed and the message beside the date', async () => {
    const res = await manager.postForm('/violations', { partnerId: a.id, occurredOn: '2999-01-01', kindId: kinds.info_leak, description: '泄露客户通讯录', evidenceNames: '截图.png' })
      .set('Host', 'portal.test').set('Referer', 'http://portal.test/violations/new').expect(303);
    expect(res.headers.location).toBe('/violations/new');
    const page = (await manager.get(res.headers.location).expect(200)).text;
    expect(page).toMatch(/name="occurredOn"[^>]*value="2999-01-01"[^>]*aria-invalid="true"[^>]*><span class="field-error" id="err-occurredOn" role="alert">违规发生日期不能晚于今天。<\/span>/);
    expect(page).toContain('>泄露客户通讯录</textarea>');
    expect(page).toContain('>截图.png</textarea>');
    expect(page).toMatch(new RegExp(`<option value="${a.id}" selected>`));
    expect(page).toMatch(new RegExp(`<option value="${kinds.info_leak}" selected>`));
  });

  it('pages, sorts and filters the register, ignores nonsense in the query, and exports it with Chinese headers', async () => {
    const first = (await manager.get('/violations').expect(200)).text;
    expect(first).toContain('第 1–50 条，共 56 条');
    const second = (await manager.get('/violations?page=2').expect(200)).text;
    expect(second).toContain('第 51–56 条，共 56 条');
    expect(second).toMatch(/aria-current="page">2</);
    const byPenalty = (await manager.get('/violations?sort=penalty&dir=desc').expect(200)).text;
    expect(byPenalty).toMatch(/aria-sort="descending"/);
    expect(byPenalty.indexOf('3,000.00')).toBeLessThan(byPenalty.indexOf('200.00'));
    await manager.get('/violations?sort=x;drop&dir=up&page=-3&status=bad&severity=grave&partnerId=abc&from=2026-99-99&kindId[]=1').expect(200);
    const onlyA = (await manager.get(`/violations?partnerId=${a.id}&severity=major`).expect(200)).text;
    expect(onlyA).toContain('第 1–1 条，共 1 条');
    // #18: the partner filter is a typed code (any case), not a select of every partner; an unknown code matches nothing
    const [{ code: aCode }] = await t.db.query(`SELECT code FROM partner WHERE id = $1`, [a.id]);
    const typedA = (await manager.get(`/violations?partner=${encodeURIComponent(aCode.toLowerCase())}&severity=major`).expect(200)).text;
    expect(typedA).toContain('第 1–1 条，共 1 条');
    expect(typedA).toContain(`value="${aCode}"`);
    expect(typedA).toContain(`<input id="f-partner" name="partner"`);
    expect((await manager.get('/violations?partner=NOPE-404').expect(200)).text).not.toContain('重复收取安装费');

    const res = await binary(manager, `/violations?format=xlsx&severity=minor&sort=occurredOn&dir=asc`).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0][0]).toBe('违规登记簿');
    expect(rows.some((r) => r[0] === '违规等级' && r[1] === '一般违规')).toBe(true);
    const header = rows.findIndex((r) => r[0] === '编号');
    expect(rows[header]).toEqual(['编号', '发生日期', '合作伙伴编码', '合作伙伴名称', '违规类型', '违规等级', '扣分', '扣款', '客户', '答复截止', '答复', '状态', '违规情况']);
    const data = rows.slice(header + 1);
    expect(data).toHaveLength(55);
    expect(data[0][1]).toBe('2026-01-02');
    expect(data.every((r) => r[4] === '未履行服务职责' && r[5] === '一般违规' && r[11] === '已登记')).toBe(true);
  });

  it('the partner sees their own violations in Chinese, can filter and export them, and a refused response keeps the text', async () => {
    const user = await t.loginAs('partner', { partnerId: a.id });
    const home = (await user.get('/').expect(200)).text;
    expect(home).toContain('新的违规通知');
    expect(home).toMatch(/2026-08-10 · 违规收费（重大违规）/);
    const list = (await user.get('/my/violations').expect(200)).text;
    expect(list).toContain('违规记录');
    expect(list).toContain('第 1–1 条，共 1 条');
    noEnglish(list);
    expect((await user.get('/my/violations?status=voided').expect(200)).text).toContain('贵单位没有违规记录。');
    const x = await binary(user, '/my/violations?format=xlsx').expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.filter((r) => r[0] !== null && typeof r[0] === 'number')).toHaveLength(1);
    expect(rows.some((r) => r.includes('合作伙伴编码'))).toBe(false);

    const [v] = await t.db.query(`SELECT id FROM violation WHERE partner_id = $1`, [a.id]);
    const detail = (await user.get(`/my/violations/${v.id}`).expect(200)).text;
    expect(detail).toMatch(/<label for="resp-text" class="wide">答复内容/);
    noEnglish(detail);
    const res = await user.postForm(`/my/violations/${v.id}/respond`, { response: '   ' }).set('Host', 'portal.test').set('Referer', `http://portal.test/my/violations/${v.id}`).expect(303);
    expect(res.headers.location).toBe(`/my/violations/${v.id}`);
    const back = (await user.get(res.headers.location).expect(200)).text;
    expect(back).toMatch(/aria-invalid="true" aria-describedby="err-response">\s*<\/textarea><span class="field-error" id="err-response" role="alert">请填写答复内容。<\/span>/);
    await user.postForm(`/my/violations/${v.id}/respond`, { response: '该笔安装费已于次月退还客户' }).expect(303);
    const done = (await user.get(`/my/violations/${v.id}`).expect(200)).text;
    expect(done).toContain('该笔安装费已于次月退还客户');
    expect(done).toMatch(/答复时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  });
});
