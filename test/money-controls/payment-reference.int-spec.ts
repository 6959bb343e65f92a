import { Actor, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { todayIso } from '../../src/core/period/period.util';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines, payWithoutInvoices } from '../settlement/helpers';

/** Marking paid records the bank's payment reference and date per line (#16): on the batch page or from the payments file. */
describe('money controls: payment reference and date per line', () => {
  let t: TestApp;
  const fin: Record<'maker' | 'checker', Actor> = {} as never;
  beforeAll(async () => {
    t = await createTestApp();
    for (const k of ['maker', 'checker'] as const) {
      const u = await t.createUser('finance', { username: `pay-${k}` });
      fin[k] = { ...SYSTEM_ACTOR, id: u.id, username: u.username, role: 'finance' };
    }
  });
  afterAll(() => t?.close());

  const line = async (batchId: number, partnerId: number) =>
    (await t.db.query(`SELECT id::text AS id, payment_reference, paid_on::text AS paid_on, paid_by FROM settlement_line WHERE batch_id = $1 AND partner_id = $2`, [batchId, partnerId]))[0];

  it('the page pays ticked lines with one reference and date, the file the rest; refusals change nothing; the partner reads it', async () => {
    const [a, b, c] = [await t.createPartner(), await t.createPartner(), await t.createPartner()];
    fakeScores(t, { '2026Q2': { [a.id]: '95', [b.id]: '95', [c.id]: '95' } });
    await importCsv(t, '2026Q2', lines(a.code, ['100.00'], '2026-05-10') + lines(b.code, ['200.00'], '2026-05-10') + lines(c.code, ['300.00'], '2026-05-10'));
    const r = await t.get(SettlementRunService).run(fin.maker, '2026Q2');
    const batches = t.get(SettlementBatchService);
    await batches.approve(fin.checker, r.batchId, '核对无误');
    await batches.export(fin.checker, r.batchId);
    await payWithoutInvoices(t, r.batchId);
    const la = await line(r.batchId, a.id);

    const fs = await t.login('pay-checker');
    const page = (await fs.get(`/settlement/batches/${r.batchId}`)).text;
    expect(page).toContain(`form="pay-form" name="line" value="${la.id}"`);
    const post = (form: Record<string, string>) => fs.post(`/settlement/batches/${r.batchId}/paid`, form).set('Accept', 'application/json');

    // a date after today and an empty selection are refused in the user's words; nothing is written
    const future = await post({ comment: 'ICBC-0001', paidOn: '2999-01-01', scope: 'selected', line: la.id });
    expect(future.status).toBe(422);
    expect(future.body.errors[0]).toMatchObject({ field: 'paidOn', message: tDeep('en', 'settlement:payment.futureDate', { value: '2999-01-01', today: todayIso() }) });
    expect((await post({ comment: 'ICBC-0001', paidOn: todayIso(), scope: 'selected' })).status).toBe(422);
    expect((await line(r.batchId, a.id)).paid_on).toBeNull();

    // one ticked line paid: reference, date, who; the batch waits for the others
    expect((await post({ comment: 'ICBC-0001', paidOn: '2026-11-02', scope: 'selected', line: la.id })).status).toBeLessThan(400);
    expect(await line(r.batchId, a.id)).toMatchObject({ payment_reference: 'ICBC-0001', paid_on: '2026-11-02', paid_by: fin.checker.id });
    expect((await batches.get(r.batchId)).status).toBe('exported');
    const again = await post({ comment: 'ICBC-0009', paidOn: '2026-11-02', scope: 'selected', line: la.id });
    expect(again.status).toBe(422);
    expect(again.body.message).toBe(tDeep('en', 'settlement:payment.alreadyPaid', { list: a.code }));
    expect((await fs.get(`/settlement/batches/${r.batchId}`)).text).toContain(tDeep('en', 'settlement:payment.paidLine', { date: '2026-11-02', ref: 'ICBC-0001' }));
    const pa = await t.loginAs('partner', { partnerId: a.id });
    expect(/data-testid="statement-state"><b>([^<]*)</.exec((await pa.get('/my/statements/2026Q2')).text)?.[1]).toBe('Paid on 2026-11-02, reference ICBC-0001');

    // the payments file: all or nothing, errors by row and column in the user's language (zh-CN here)
    const header = 'batch_id,partner_code,paid_amount,paid_on,payment_reference\n';
    const zh = await t.login('pay-maker', undefined, 'zh-CN');
    const bad = await zh.upload('/settlement/payments/import', 'file', `${header}${r.batchId},${b.code},200.00,2026-11-03,\n${r.batchId},${c.code},300.00,2026-11-03,CCB-7\n${r.batchId},${a.code},100.00,2026-11-03,X\n`).set('Accept', 'application/json');
    expect(bad.status).toBe(422);
    const text = JSON.stringify(bad.body);
    expect(text).toContain('请填写付款凭证号');
    expect(text).toContain(`合作伙伴 ${a.code} 的结算行已于 2026-11-02 登记付款`);
    expect((await line(r.batchId, c.id)).paid_on).toBeNull();

    const ok = await zh.upload('/settlement/payments/import', 'file', `${header}${r.batchId},${b.code},200.00,2026-11-03,CCB-6\n${r.batchId},${c.code},300.00,2026-11-04,CCB-7\n`);
    expect(ok.status).toBe(303);
    expect(await line(r.batchId, b.id)).toMatchObject({ payment_reference: 'CCB-6', paid_on: '2026-11-03' });
    expect(await line(r.batchId, c.id)).toMatchObject({ payment_reference: 'CCB-7', paid_on: '2026-11-04' });
    const done = await batches.get(r.batchId);
    expect(done.status).toBe('paid');
    expect(done.paidComment).toBe('CCB-6, CCB-7, ICBC-0001');
    const audit = await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'settlement_batch' AND entity_id = $1 AND action IN ('settlement.lines.paid', 'settlement.batch.paid') ORDER BY id`, [String(r.batchId)]);
    expect(audit.map((x: { action: string }) => x.action)).toEqual(['settlement.lines.paid', 'settlement.lines.paid', 'settlement.batch.paid']);
  });

  it('"all unpaid lines" pays the whole batch with one reference (markPaid keeps working for the CLI and seed)', async () => {
    const p = await t.createPartner();
    fakeScores(t, { '2026Q1': { [p.id]: '95' } });
    await importCsv(t, '2026Q1', lines(p.code, ['80.00'], '2026-02-10'));
    const r = await t.get(SettlementRunService).run(fin.maker, '2026Q1');
    const batches = t.get(SettlementBatchService);
    await batches.approve(fin.checker, r.batchId, 'ok');
    await batches.export(fin.checker, r.batchId);
    await payWithoutInvoices(t, r.batchId);
    const fs = await t.login('pay-checker');
    expect((await fs.post(`/settlement/batches/${r.batchId}/paid`, { comment: 'ABC-1', paidOn: '2026-11-01', scope: 'all' })).status).toBe(303);
    expect(await line(r.batchId, p.id)).toMatchObject({ payment_reference: 'ABC-1', paid_on: '2026-11-01' });
    expect((await batches.get(r.batchId)).status).toBe('paid');
  });
});
