import { Actor, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { BankChangeService } from '../../src/modules/partners/bank-change.service';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines, payWithoutInvoices, checker } from '../settlement/helpers';

/** A bank-account change needs a second person (#16), and the next batch says so. */
describe('money controls: bank-account change', () => {
  let t: TestApp;
  let a: { id: number; code: string }, b: { id: number; code: string };
  let finance: { id: number; username: string }, finance2: { id: number; username: string };

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.createPartner();
    b = await t.createPartner();
    finance = await t.createUser('finance', { username: 'bank-fin-1' });
    finance2 = await t.createUser('finance', { username: 'bank-fin-2' });
  });
  afterAll(() => t?.close());

  const bankOf = async (id: number) => (await t.db.query(`SELECT bank_name, bank_account_no FROM partner WHERE id = $1`, [id]))[0];
  const form = { bankName: '中国建设银行贵阳分行', bankAccountName: '新账户', bankAccountNo: '6217 0027 1000 9999 888', reason: '开户行变更' };

  it('the partner requests; nothing changes until finance approves; another partner is refused', async () => {
    // a paid batch first, so the change is "since the last payment"
    fakeScores(t, { '2026Q2': { [a.id]: '95', [b.id]: '95' }, '2026Q3': { [a.id]: '95', [b.id]: '95' } });
    await importCsv(t, '2026Q2', lines(a.code, ['100.00'], '2026-05-10') + lines(b.code, ['100.00'], '2026-05-10'));
    const batches = t.get(SettlementBatchService);
    const q2 = await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q2');
    await batches.approve(await checker(t), q2.batchId, 'ok');
    await batches.export(SYSTEM_ACTOR, q2.batchId);
    await payWithoutInvoices(t, q2.batchId);
    await batches.markPaid(SYSTEM_ACTOR, q2.batchId, 'PAY-Q2');

    const pa = await t.loginAs('partner', { partnerId: a.id });
    const pb = await t.loginAs('partner', { partnerId: b.id });
    // another partner's user: refused as "not there" (the form answers by redirect with the message), nothing stored
    await pb.postForm(`/partners/${a.id}/bank-change`, form);
    expect(await t.db.query(`SELECT id FROM partner_bank_change`)).toHaveLength(0);
    expect((await pb.get(`/partners/${a.id}`)).status).toBe(404);
    expect((await pa.postForm(`/partners/${a.id}/bank-change`, { ...form, bankAccountNo: '12ab' })).status).toBe(303);
    expect(await t.db.query(`SELECT id FROM partner_bank_change`)).toHaveLength(0);
    expect((await pa.postForm(`/partners/${a.id}/bank-change`, form)).status).toBe(303);
    const before = await bankOf(a.id);
    expect(before.bank_account_no).toBe('6222020000001234');
    // one pending change at a time
    await expect(t.get(BankChangeService).request({ ...SYSTEM_ACTOR, id: finance.id, role: 'finance' }, a.id, form)).rejects.toThrow('money:bank.pendingExists');

    // staff see it on the partner page: the manager masked, finance in full with the decision buttons; the partner cannot decide
    const manager = await t.loginAs('channel_manager');
    const mp = await manager.get(`/partners/${a.id}`);
    expect(mp.text).toContain('data-testid="bank-change-pending"');
    expect(mp.text).not.toContain('6217002710009999888');
    expect(mp.text).toContain('9888');
    const fin = await t.login('bank-fin-1');
    const fp = await fin.get(`/partners/${a.id}`);
    expect(fp.text).toContain('6217002710009999888');
    const [change] = await t.db.query(`SELECT id FROM partner_bank_change WHERE partner_id = $1`, [a.id]);
    expect(fp.text).toContain(`/partners/${a.id}/bank-change/${change.id}/decide`);
    expect((await pa.postForm(`/partners/${a.id}/bank-change/${change.id}/decide`, { decision: 'approve' })).status).toBe(403);

    expect((await fin.postForm(`/partners/${a.id}/bank-change/${change.id}/decide`, { decision: 'approve' })).status).toBe(303);
    expect(await bankOf(a.id)).toEqual({ bank_name: form.bankName, bank_account_no: '6217002710009999888' });
  });

  it('the requester cannot approve their own change', async () => {
    const f1: Actor = { ...SYSTEM_ACTOR, id: finance.id, role: 'finance' };
    const f2: Actor = { ...SYSTEM_ACTOR, id: finance2.id, role: 'finance' };
    const svc = t.get(BankChangeService);
    const id = await svc.request(f1, b.id, { ...form, bankAccountNo: '6222000011112222' });
    await expect(svc.decide(f1, b.id, id, 'approve', '')).rejects.toThrow('settlement:errors.requesterCannotDecide');
    await expect(svc.decide(f2, b.id, id, 'reject', '')).rejects.toThrow('money:bank.reasonRequired');
    await svc.decide(f2, b.id, id, 'reject', '户名与营业执照不符');
    expect((await bankOf(b.id)).bank_account_no).toBe('6222020000001234');
  });

  it('the next batch flags the line "bank account changed since last payment" and the approver must tick it', async () => {
    await importCsv(t, '2026Q3', lines(a.code, ['100.00'], '2026-08-10') + lines(b.code, ['100.00'], '2026-08-10'));
    const q3 = await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3');
    const flags = await t.db.query(`SELECT partner_id, review_flags FROM settlement_line WHERE batch_id = $1 ORDER BY partner_id`, [q3.batchId]);
    expect(flags).toEqual([{ partner_id: a.id, review_flags: ['bank_changed'] }, { partner_id: b.id, review_flags: [] }]);
    const fin = await t.login('bank-fin-2');
    const page = await fin.get(`/settlement/batches/${q3.batchId}`);
    expect(page.text).toContain(tDeep('en', 'money:flags.bank_changed'));
    const refused = await fin.postForm(`/settlement/batches/${q3.batchId}/approve`, { comment: 'ok' });
    expect(refused.status).toBe(303);
    expect((await t.get(SettlementBatchService).get(q3.batchId)).status).toBe('draft');
  });
});
