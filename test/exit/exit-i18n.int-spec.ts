import ExcelJS from 'exceljs';
import { missingKeys } from '../../src/core/i18n/i18n';
import { todayIso } from '../../src/core/period/period.util';
import { englishWordsOnPage, rawKeys, visibleText } from '../i18n/page-text';
import { createTestApp, Session, TestApp } from '../support/test-app';

const binary = (r: import('supertest').Test) => r.buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (d: Buffer) => chunks.push(d));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});

describe('exit pages in Chinese: proposals, handover across region spellings, archive', () => {
  let t: TestApp;
  let zh: Session;
  let x: { id: number; code: string };
  let receiver: { id: number; code: string };
  let proposalId: number;
  let customerId: number;
  const today = todayIso();

  beforeAll(async () => {
    t = await createTestApp();
    t.lang = 'zh-CN';
    zh = await t.loginAs('channel_manager');
    x = await t.createPartner({ region: '安顺市' });
    // the receiver's region is spelled in English; the customer's as in the region list
    receiver = await t.createPartner({ region: 'Anshun', tier: 'A' });
    const [c] = await t.db.query(`INSERT INTO customer (code, name, region, customer_class, stage) VALUES ('ZH-EX-1', '安顺黄果树旅游集团', '安顺市', 'B', 'maturity') RETURNING id`);
    customerId = c.id;
    await t.db.query(`INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason) VALUES ($1, $2, '2026-01-01', '测试')`, [customerId, x.id]);
    const pu = await t.loginAs('partner', { partnerId: x.id });
    await pu.postForm('/my/exit/request', { note: '公司业务调整，不再续约' }).expect(303);
    [{ id: proposalId }] = await t.db.query(`SELECT id FROM exit_proposal WHERE partner_id = $1`, [x.id]);
  }, 60_000);
  afterAll(() => t?.close());

  it('shows the proposals, a proposal and the home panel in zh-CN', async () => {
    const list = await zh.get('/exits').expect(200);
    expect(list.text).toContain('<html lang="zh-CN">');
    for (const s of ['合作退出', '主动退出', '待决定', '合作伙伴主动申请退出：公司业务调整，不再续约', '退出规则', '立即评估退出规则']) expect(list.text).toContain(s);
    const detail = await zh.get(`/exits/${proposalId}`).expect(200);
    for (const s of ['退出提议', '批准退出', '驳回', '合作中']) expect(detail.text).toContain(s);
    const home = await zh.get('/').expect(200);
    expect(home.text).toContain(`${x.code}：主动退出`);
  });

  it('hands a customer in 安顺市 to a partner serving "Anshun"; the board speaks Chinese', async () => {
    await zh.postForm(`/exits/${proposalId}/approve`, { reason: '同意合作伙伴申请' }).expect(303);
    const board = await zh.get(`/exits/${proposalId}/handover`).expect(200);
    for (const s of ['客户移交', '已完成移交 0/1 个客户', '暂不能完成：仍有 1 个客户归属该合作伙伴', '完成合作退出']) expect(board.text).toContain(s);
    expect(board.text).toMatch(new RegExp(`<option value="${receiver.id}" >${receiver.code} · A 级 · Anshun`));
    const [item] = await t.db.query(`SELECT id FROM handover_item WHERE customer_id = $1`, [customerId]);
    const cands = (await zh.getJson(`/api/exits/handover-items/${item.id}/candidates`).expect(200)).body as { partnerId: number; eligible: boolean }[];
    expect(cands.find((c) => c.partnerId === receiver.id)).toMatchObject({ eligible: true });
    await zh.postForm(`/exits/${proposalId}/handover/items/${item.id}/assign`, { partnerId: receiver.id, effectiveOn: today }).expect(303);
    const after = await zh.get(`/exits/${proposalId}/handover`).expect(200);
    expect(after.text).toContain('自 ');
    expect(after.text).toContain('客户资料已移交');
  });

  it('brings a refused completion form back with what was typed and the message beside the field', async () => {
    const res = await zh.postForm(`/exits/${proposalId}/complete`, { exitDate: '2099-01-01', scoreY: '85', scoreReason: '' })
      .set('Host', 'portal.test').set('Referer', `http://portal.test/exits/${proposalId}/handover`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/exits/${proposalId}/handover`);
    const page = await zh.get(res.headers.location).set('Host', 'portal.test').expect(200);
    expect(page.text).toContain('value="2099-01-01"');
    expect(page.text).toContain('value="85"');
    expect(page.text).toMatch(/id="cx-date"[^>]*aria-invalid="true"[^>]*>\s*<span class="field-error" id="err-exitDate" role="alert">退出日期不能晚于今天。<\/span>/);
  });

  it('sorts, pages and exports the proposals; the archive lists completed exits; nonsense parameters are ignored', async () => {
    const p = await t.createPartner();
    await t.db.query(`INSERT INTO exit_proposal (partner_id, trigger, evidence, status, proposed_at, decided_at, reason)
      SELECT $1, 'contract_end', jsonb_build_object('contractEndOn', (date '2020-01-01' + g)::text), 'dismissed', now() - (g || ' days')::interval, now(), '测试驳回' FROM generate_series(1, 55) g`, [p.id]);
    const page2 = await zh.get(`/exits?status=dismissed&q=${p.code}&sort=id&dir=asc&page=2`).expect(200);
    expect(page2.text).toContain('第 51–55 条，共 55 条');
    expect(page2.text).toContain('合同已于 2020-02-21 到期');
    await zh.get('/exits?status=nope&trigger=zzz&sort=bad&dir=x&page=abc&view=').expect(200);
    const xlsx = await binary(zh.get(`/exits?status=dismissed&q=${p.code}&sort=id&format=xlsx`)).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const rows: string[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = rows.findIndex((r) => r[0] === '编号');
    expect(rows[header]).toEqual(['编号', '合作伙伴编码', '合作伙伴名称', '触发条件', '依据', '状态', '提议时间', '决定时间', '原因', '退出日期', '退出清算批次']);
    expect(rows.length - header - 1).toBe(55);
    expect(rows[header + 1].slice(3, 6)).toEqual(['合同到期', '合同已于 2020-01-02 到期', '已驳回']);

    await t.db.query(`UPDATE exit_proposal SET status = 'completed', exit_date = '2026-06-30', completed_at = now() WHERE id = (SELECT min(id) FROM exit_proposal WHERE partner_id = $1)`, [p.id]);
    const archive = await zh.get('/exits?view=archive&sort=exitDate').expect(200);
    for (const s of ['退出归档', p.code, '2026-06-30', '合同到期']) expect(archive.text).toContain(s);
    // no English UI word, raw or missing key on the exit pages (names and codes of the data aside)
    const data: { w: string }[] = await t.db.query(`SELECT name AS w FROM partner UNION SELECT code FROM partner UNION SELECT username FROM user_account UNION SELECT display_name FROM user_account`);
    const dataWords = new Set(data.flatMap((r) => (r.w ?? '').toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []));
    for (const url of ['/exits', '/exits?view=archive', `/exits/${proposalId}`, `/exits/${proposalId}/handover`]) {
      missingKeys.clear();
      const text = visibleText((await zh.get(url).expect(200)).text);
      expect({ url, missing: [...missingKeys], raw: rawKeys(text), english: englishWordsOnPage(text, dataWords) }).toEqual({ url, missing: [], raw: [], english: [] });
    }
  });
});
