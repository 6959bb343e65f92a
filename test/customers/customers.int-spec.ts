import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { CustomersService } from '../../src/modules/customers/customers.service';
import { followJob } from '../support/jobs';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { insertCustomer } from './fixtures';

describe('customers: import, assignments over time, stages, visibility', () => {
  let t: TestApp;
  let manager: Session;
  let p1: { id: number; code: string };
  let p2: { id: number; code: string };
  let svc: CustomersService;

  beforeAll(async () => {
    t = await createTestApp();
    svc = t.get(CustomersService);
    p1 = await t.createPartner();
    p2 = await t.createPartner();
    manager = await t.loginAs('channel_manager');
  });
  afterAll(() => t?.close());

  const header = 'code,name,industry,region,class,stage,partner_code,assigned_from\n';

  it('imports nothing from a CSV with one bad row and reports row and column', async () => {
    const csv = header + `IMP-1,Acme,mining,Guiyang,A,development,${p1.code},2026-01-01\nIMP-2,Beta,retail,Zunyi,D,maturity,${p1.code},2026-01-01\nIMP-3,Gamma,retail,Zunyi,B,churn,NOPE,2026-01-01\n`;
    const res = await manager.upload('/api/customers/import', 'file', csv);
    expect(res.status).toBe(422);
    expect(res.body.rows).toEqual([
      { row: 3, column: 'class', message: 'must be A, B or C' },
      { row: 4, column: 'partner_code', message: 'no partner with code NOPE' },
    ]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM customer WHERE code LIKE 'IMP-%'`);
    expect(n).toBe(0);
  });

  it('imports customers with their first assignment and stage history', async () => {
    const csv = header + `IMP-1,Acme,mining,Guiyang,A,development,${p1.code},2026-01-01\nIMP-2,Beta,retail,Zunyi,c,maturity,,\n`;
    const res = await manager.upload('/api/customers/import', 'file', csv);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customers: 2, assignments: 1 });
    const map = await svc.findByCodes(['IMP-1', 'IMP-2']);
    expect(map.get('IMP-2')!.customerClass).toBe('C');
    expect((await svc.listCurrentByPartner(p1.id)).map((c) => c.code)).toContain('IMP-1');
    expect((await svc.stageHistory(map.get('IMP-1')!.id))[0].toStage).toBe('development');
    // importing the same codes again is refused row by row
    const again = await manager.upload('/api/customers/import', 'file', csv);
    expect(again.body.rows.map((r: { row: number }) => r.row)).toEqual([2, 3]);
  });

  it('reassigns with no gap and no overlap (half-open ranges)', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id, from: '2026-01-01' });
    await svc.reassign(SYSTEM_ACTOR, c.id, { partnerId: p2.id }, '2026-07-01', 'rebalancing');
    const rows = await svc.assignmentHistory(c.id);
    expect(rows.map((r) => [r.partnerId, r.validFrom, r.validTo])).toEqual([[p1.id, '2026-01-01', '2026-07-01'], [p2.id, '2026-07-01', null]]);
    expect(await svc.assignedPartnersOn([
      { customerId: c.id, date: '2025-12-31' }, { customerId: c.id, date: '2026-06-30' }, { customerId: c.id, date: '2026-07-01' }, { customerId: c.id, date: '2027-01-01' },
    ])).toEqual([null, p1.id, p2.id, p2.id]);
    const counts = await svc.countCurrentByPartner([p1.id, p2.id]);
    expect(counts.get(p2.id)).toBeGreaterThanOrEqual(1);
    // a new range that would be empty or overlap is refused, and so is the same holder
    await expect(svc.reassign(SYSTEM_ACTOR, c.id, { partnerId: p1.id }, '2026-07-01', 'x')).rejects.toThrow(/customers:errors.startAfter/);
    await expect(svc.reassign(SYSTEM_ACTOR, c.id, { partnerId: p2.id }, '2026-08-01', 'x')).rejects.toThrow(/customers:errors.sameHolder/);
  });

  it('refuses a receiving partner that is not active', async () => {
    const suspended = await t.createPartner({ status: 'suspended' });
    const c = await insertCustomer(t, { partnerId: p1.id });
    const res = await manager.post(`/api/customers/${c.id}/assignments`, { partnerId: suspended.id, effectiveOn: '2026-03-01', reason: 'x' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain(`Partner ${suspended.code} is `);
    expect(res.body.errors[0].field).toBe('partnerId');
  });

  it('hands a customer to a channel manager through the page form', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id });
    const [mgr] = await t.db.query(`SELECT id FROM user_account WHERE role = 'channel_manager' LIMIT 1`);
    const res = await manager.postForm(`/customers/${c.id}/reassign`, { holder: `m:${mgr.id}`, effectiveOn: '2026-02-01', reason: 'key account' });
    expect(res.status).toBe(303);
    const current = await svc.currentAssignment(c.id);
    expect([current!.partnerId, current!.managerUserId]).toEqual([null, mgr.id]);
    const page = await manager.get(`/customers/${c.id}`).expect(200);
    expect(page.text).toContain('key account');
  });

  it('records stage changes with date and actor, and refuses a future one', async () => {
    const c = await insertCustomer(t, { partnerId: p1.id, stage: 'development' });
    const res = await manager.post(`/api/customers/${c.id}/stage`, { stage: 'maturity', effectiveOn: '2026-02-15', reason: 'grew' });
    expect(res.status).toBe(201);
    const hist = await svc.stageHistory(c.id);
    expect(hist.map((h) => [h.fromStage, h.toStage, h.effectiveOn])).toEqual([[null, 'development', '2025-01-01'], ['development', 'maturity', '2026-02-15']]);
    expect(hist[1].actorUserId).toBe(manager.user!.id);
    const future = await manager.post(`/api/customers/${c.id}/stage`, { stage: 'decline', effectiveOn: '2099-01-01', reason: 'x' });
    expect(future.status).toBe(422);
    expect(future.body.errors[0].field).toBe('effectiveOn');
  });

  it('lets a partner see only customers it holds or held (404 otherwise)', async () => {
    const mine = await insertCustomer(t, { partnerId: p1.id });
    const theirs = await insertCustomer(t, { partnerId: p2.id });
    const s = await t.loginAs('partner', { partnerId: p1.id });
    expect((await s.getJson(`/api/customers/${mine.id}`)).status).toBe(200);
    expect((await s.getJson(`/api/customers/${theirs.id}`)).status).toBe(404);
    const list = await s.getJson('/api/customers').expect(200);
    const codes = list.body.rows.map((c: { code: string }) => c.code);
    expect(codes).toContain(mine.code);
    expect(codes).not.toContain(theirs.code);
    expect((await s.get('/customers')).status).toBe(403);
    expect((await s.post(`/api/customers/${mine.id}/stage`, { stage: 'churn', effectiveOn: '2026-01-05', reason: 'x' })).status).toBe(403);
  });

  it('shows the manager list with filters', async () => {
    await insertCustomer(t, { partnerId: p2.id, region: '安顺市', cls: 'A', code: 'FILTER-ME' });
    // a typed spelling finds the list's name
    const page = await manager.get('/customers?region=Anshun&customerClass=A').expect(200);
    expect(page.text).toContain('FILTER-ME');
    const other = await manager.get('/customers?region=Zunyi').expect(200);
    expect(other.text).not.toContain('FILTER-ME');
    // #18: the partner filter is a typed code (any case; a link's partnerId still works), not a select of every partner
    const byCode = await manager.get(`/customers?partner=${encodeURIComponent(p2.code.toLowerCase())}`).expect(200);
    expect(byCode.text).toContain('FILTER-ME');
    expect(byCode.text).toContain(`<input id="f-partner" name="partner" value="${p2.code}"`);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM customer_assignment WHERE partner_id = $1 AND valid_to IS NULL`, [p2.id]);
    expect(byCode.text).toMatch(new RegExp(`共 ${n} 条|of ${n}<`)); // the count joins the assignment for this filter only
    expect((await manager.get(`/customers?partnerId=${p2.id}`).expect(200)).text).toContain('FILTER-ME');
    expect((await manager.get(`/customers?partnerId=${p1.id}`).expect(200)).text).not.toContain('FILTER-ME');
    expect((await manager.get('/customers?partner=NOPE-404').expect(200)).text).not.toContain('FILTER-ME');
    expect((await manager.get('/customers/import')).status).toBe(200);
  });

  describe('in Chinese (zh-CN)', () => {
    let zh: Session;
    beforeAll(async () => {
      const u = await t.createUser('channel_manager');
      zh = await t.login(u.username, undefined, 'zh-CN');
    });

    it('renders the list, the detail and the import page in Chinese, stages by name', async () => {
      const c = await insertCustomer(t, { partnerId: p1.id, stage: 'maturity', code: 'ZH-PAGE-1' });
      const list = await zh.get('/customers?q=ZH-PAGE').expect(200);
      expect(list.text).toContain('<html lang="zh-CN">');
      expect(list.text).toContain('客户编码');
      expect(list.text).toContain('成熟期');
      expect(list.text).toContain('导出 Excel');
      const detail = await zh.get(`/customers/${c.id}`).expect(200);
      expect(detail.text).toContain('客户移交');
      expect(detail.text).toContain('变更生命周期阶段');
      expect(detail.text).toContain('<option value="decline" >衰退期</option>');
      const imp = await zh.get('/customers/import').expect(200);
      expect(imp.text).toContain('导入客户');
      expect(imp.text).toContain('安顺市');
    });

    it('brings a refused reassignment back with what was typed and the message beside the field', async () => {
      const c = await insertCustomer(t, { partnerId: p1.id, from: '2026-03-01' });
      const back = `/customers/${c.id}`;
      const res = await zh.postForm(`/customers/${c.id}/reassign`, { holder: `p:${p2.id}`, effectiveOn: '2026-02-01', reason: '区域调整测试' }).set('Host', 'portal.test').set('Referer', `http://portal.test${back}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/customers/${c.id}`);
      const page = await zh.get(res.headers.location).expect(200);
      expect(page.text).toContain('value="区域调整测试"');
      expect(page.text).toContain('value="2026-02-01"');
      expect(page.text).toContain(`value="p:${p2.id}" selected`);
      expect(page.text).toMatch(/id="ra-from"[^>]*aria-invalid="true"[^>]*><span class="field-error" id="err-effectiveOn" role="alert">新的承接须晚于当前承接的起始日（当前承接自 2026-03-01 起）。<\/span>/);
      // the stage form on the same page keeps its own (empty) fields
      expect(page.text).toMatch(/name="stageReason" value=""/);
    });

    it('sorts, pages and exports the list as Excel with Chinese headers', async () => {
      for (let i = 0; i < 55; i++) await insertCustomer(t, { code: `PG-${String(i).padStart(3, '0')}`, region: i % 2 ? '遵义市' : '红花岗区' });
      const first = await zh.get('/customers?q=PG-&sort=code&dir=desc').expect(200);
      expect(first.text.indexOf('PG-054')).toBeGreaterThan(-1);
      expect(first.text).not.toContain('PG-004<');
      expect(first.text).toContain('共 55 条');
      const second = await zh.get('/customers?q=PG-&sort=code&dir=desc&page=2').expect(200);
      expect(second.text).toContain('PG-000');
      // a prefecture finds its counties' customers too; nonsense parameters are ignored
      const zunyi = await zh.get('/customers?q=PG-&region=Zunyi&sort=nope&page=abc&customerClass=Z&partnerId=x').expect(200);
      expect(zunyi.text).toContain('共 55 条');
      const xlsx = await zh.get('/customers?q=PG-&sort=code&format=xlsx').buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (d: Buffer) => chunks.push(d));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as never);
      const ws = wb.worksheets[0];
      const rows: string[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
      const header = rows.findIndex((r) => r[0] === '客户编码');
      expect(rows[header]).toEqual(['客户编码', '客户名称', '行业', '地区', '客户等级', '生命周期阶段', '承接方', '承接起始日']);
      expect(rows.length - header - 1).toBe(55);
      expect(rows[header + 1][0]).toBe('PG-000');
      expect(rows[header + 1][6]).toBe('未分配');
    });

    it('reports CSV problems row by row in Chinese and maps region spellings', async () => {
      // (unassigned: p1 serves 贵阳市, and a 遵义 customer would be outside its regions — see tier-quota.int-spec.ts)
      const csv = header + `ZH-IMP-1,遵义茅台酒厂集团,酒类制造,Zunyi,A,成熟期,,\nZH-IMP-2,六盘水钢铁公司,冶金,Atlantis,B,发展期,,\n`;
      const res = await zh.upload('/api/customers/import', 'file', csv);
      expect(res.status).toBe(422);
      expect(res.body.rows).toEqual([{ row: 3, column: 'region', message: expect.stringMatching(/^“Atlantis”不是列表中的地区；可选：贵阳市、遵义市/) }]);
      const page = await zh.upload('/customers/import', 'file', csv).set('Host', 'portal.test').set('Referer', 'http://portal.test/customers/import');
      const job = await followJob(zh, page);
      expect(job.result).toMatchObject({ ok: false, errorTotal: 1 });
      expect(job.page).toMatch(/<td[^>]*>3<\/td><td[^>]*><code>region<\/code><\/td><td[^>]*>“Atlantis”不是列表中的地区/);
      expect((await svc.findByCodes(['ZH-IMP-1'])).size).toBe(0);
      const ok = await zh.upload('/api/customers/import', 'file', csv.replace('Atlantis', '六盘水'));
      expect(ok.status).toBe(201);
      const map = await svc.findByCodes(['ZH-IMP-1', 'ZH-IMP-2']);
      expect([map.get('ZH-IMP-1')!.region, map.get('ZH-IMP-1')!.stage, map.get('ZH-IMP-2')!.region]).toEqual(['遵义市', 'maturity', '六盘水市']);
    });
  });
});
