import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines, checker } from '../settlement/helpers';

/** The payout file (#16): bank, holder and full account, a UTF-8 BOM, and the same bytes again after export. */
describe('money controls: the payout file', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('downloads again after export with the same bytes; finance only', async () => {
    const a = await t.createPartner({ bankName: '中国工商银行贵阳分行', bankAccountName: '贵州黔灵通信有限公司', bankAccountNo: '6222020200112233' });
    fakeScores(t, { '2026Q3': { [a.id]: '95' } });
    await importCsv(t, '2026Q3', lines(a.code, ['100.00'], '2026-08-10'));
    const r = await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3');
    const batches = t.get(SettlementBatchService);
    await batches.approve(await checker(t), r.batchId, 'ok');
    const finance = await t.loginAs('finance');
    expect((await finance.get(`/settlement/batches/${r.batchId}/payout.csv`)).status).not.toBe(200); // not exported yet
    const exported = await finance.agent.post(`/settlement/batches/${r.batchId}/export`).type('form').send({ _csrf: finance.csrf }).buffer(true);
    const again = await finance.agent.get(`/settlement/batches/${r.batchId}/payout.csv`).buffer(true);
    expect(again.status).toBe(200);
    expect(again.text).toBe(exported.text);
    expect(again.text.startsWith('\uFEFFpartner_code,partner_name,bank_name,account_holder,bank_account,')).toBe(true);
    expect(again.text).toContain(`${a.code},${a.name},中国工商银行贵阳分行,贵州黔灵通信有限公司,6222020200112233,100.00,`);
    expect((await batches.get(r.batchId)).status).toBe('exported');
    const manager = await t.loginAs('channel_manager');
    expect((await manager.get(`/settlement/batches/${r.batchId}/payout.csv`)).status).toBe(403);
    const partner = await t.loginAs('partner', { partnerId: a.id });
    expect((await partner.get(`/settlement/batches/${r.batchId}/payout.csv`)).status).toBe(403);
  });
});
