import { Actor, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { BankChangeService } from '../../src/modules/partners/bank-change.service';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines } from '../settlement/helpers';

/** Two small money-control gaps (#16): nobody but a named person approves a batch; a bank change request reaches its approvers. */
describe('money controls: named approvers and the bank-change notice', () => {
  let t: TestApp;
  const fin: Record<'one' | 'two', Actor> = {} as never;
  beforeAll(async () => {
    t = await createTestApp();
    for (const k of ['one', 'two'] as const) {
      const u = await t.createUser('finance', { username: `gap-${k}` });
      fin[k] = { ...SYSTEM_ACTOR, id: u.id, username: u.username, role: 'finance' };
    }
  });
  afterAll(() => t?.close());

  const refusal = (p: Promise<unknown>) => p.then(() => null, (e) => (e as Error).message);

  it('the system actor (jobs, scripts) cannot approve a batch; a named finance user can; maker ≠ checker still holds', async () => {
    const p = await t.createPartner();
    fakeScores(t, { '2026Q1': { [p.id]: '95' }, '2026Q2': { [p.id]: '95' } });
    await importCsv(t, '2026Q1', lines(p.code, ['100.00'], '2026-02-10'));
    const batches = t.get(SettlementBatchService);
    const bySystem = await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q1');
    expect(await refusal(batches.approve(SYSTEM_ACTOR, bySystem.batchId, 'auto'))).toBe('settlement:errors.approverMustBeUser');
    expect(tDeep('zh-CN', 'settlement:errors.approverMustBeUser', { id: bySystem.batchId })).toContain('系统');
    expect((await batches.get(bySystem.batchId)).status).toBe('draft');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_batch_approval WHERE batch_id = $1`, [bySystem.batchId]))[0].n).toBe(0);
    expect((await batches.approve(fin.two, bySystem.batchId, '核对无误')).status).toBe('approved');

    await importCsv(t, '2026Q2', lines(p.code, ['80.00'], '2026-05-10'));
    const byOne = await t.get(SettlementRunService).run(fin.one, '2026Q2');
    expect(await refusal(batches.approve(fin.one, byOne.batchId, '自己审批'))).toBe('settlement:errors.makerCannotApprove');
    expect((await batches.approve(fin.two, byOne.batchId, '核对无误')).status).toBe('approved');
  });

  it('a bank-account change request notifies the finance users who may approve it (never the requester)', async () => {
    const p = await t.createPartner();
    const form = { bankName: '中国工商银行贵阳分行', bankAccountName: '新账户', bankAccountNo: '6222020000009999', reason: '开户行变更' };
    const recipients = async (id: number) => (await t.db.query(
      `SELECT recipient_user_id AS u FROM notification WHERE kind = 'bankChange.requested' AND event_key = $1 ORDER BY recipient_user_id`, [`bankChange.requested:${id}`])).map((r: { u: number }) => r.u);

    const pa = await t.loginAs('partner', { partnerId: p.id });
    const byPartner = await t.get(BankChangeService).request({ ...SYSTEM_ACTOR, id: pa.user!.id, role: 'partner', partnerId: p.id }, p.id, form);
    const got = await recipients(byPartner);
    expect(got).toEqual(expect.arrayContaining([fin.one.id, fin.two.id]));
    expect(got).not.toContain(pa.user!.id);
    await t.get(BankChangeService).decide(fin.one, p.id, byPartner, 'reject', '账户名与营业执照不符');

    const byFinance = await t.get(BankChangeService).request(fin.one, p.id, form);
    const second = await recipients(byFinance);
    expect(second).toContain(fin.two.id);
    expect(second).not.toContain(fin.one.id);
  });
});
