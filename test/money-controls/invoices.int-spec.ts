import { Actor, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines } from '../settlement/helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Invoices (发票, #16): uploaded by the partner for an approved statement, checked by finance; payment waits for them. */
describe('money controls: invoices before payment', () => {
  let t: TestApp;
  const fin: Record<'maker' | 'checker', Actor> = {} as never;
  beforeAll(async () => {
    t = await createTestApp();
    for (const k of ['maker', 'checker'] as const) {
      const u = await t.createUser('finance', { username: `inv-${k}` });
      fin[k] = { ...SYSTEM_ACTOR, id: u.id, username: u.username, role: 'finance' };
    }
  });
  afterAll(() => t?.close());

  const upload = (s: Session, lineId: string, fields: Record<string, string>, file = PDF) =>
    s.upload(`/my/invoices/${lineId}`, 'file', file, 'fapiao.pdf', fields).set('Accept', 'application/json');
  const lineOf = async (batchId: number, partnerId: number): Promise<string> =>
    (await t.db.query(`SELECT id::text AS id FROM settlement_line WHERE batch_id = $1 AND partner_id = $2`, [batchId, partnerId]))[0].id;
  const invoices = async (lineId: string) => t.db.query(`SELECT id, status, amount::text, amount_matches, check_reason, document_id FROM settlement_invoice WHERE line_id = $1 ORDER BY id`, [lineId]);

  it('upload → check (reason when the amount differs, rejection lets the partner upload again) → pay; the gate holds', async () => {
    const [a, b] = [await t.createPartner(), await t.createPartner()];
    fakeScores(t, { '2026Q3': { [a.id]: '95', [b.id]: '95' } });
    await importCsv(t, '2026Q3', lines(a.code, ['100.00'], '2026-08-10') + lines(b.code, ['50.00'], '2026-08-10'));
    const r = await t.get(SettlementRunService).run(fin.maker, '2026Q3');
    const [la, lb] = [await lineOf(r.batchId, a.id), await lineOf(r.batchId, b.id)];
    const pa = await t.loginAs('partner', { partnerId: a.id });
    const pb = await t.loginAs('partner', { partnerId: b.id });
    const good = { invoiceNo: '04400190011', amount: '100.00', invoiceDate: '2026-11-01', taxRate: '6' };

    // a draft takes no invoice
    const early = await upload(pa, la, good);
    expect(early.status).toBe(422);
    expect(early.body.message).toBe(tDeep('en', 'invoices:errors.notApproved', { id: r.batchId }));

    const batches = t.get(SettlementBatchService);
    await batches.approve(fin.checker, r.batchId, '核对无误');
    await batches.export(fin.checker, r.batchId);
    expect((await pa.get('/my/statements/2026Q3')).text).toContain(`action="/my/invoices/${la}"`);

    // another partner's line: 404, nothing stored; a bad field is named
    expect((await upload(pb, la, good)).status).toBe(404);
    const bad = await upload(pa, la, { ...good, taxRate: 'abc' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'taxRate', message: tDeep('en', 'invoices:errors.badTaxRate', { value: 'abc' }) });
    expect(await invoices(la)).toHaveLength(0);

    // an amount different from the total pay: finance is told; a second upload waits for the check
    expect((await upload(pa, la, { ...good, amount: '99.00' })).status).toBe(303);
    const [first] = await invoices(la);
    expect(first).toMatchObject({ status: 'submitted', amount: '99.00' });
    expect(first.document_id).not.toBeNull();
    expect((await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE kind = 'invoice.uploaded' AND recipient_user_id = $1`, [fin.maker.id]))[0].n).toBe(1);
    // money in the notification as people read it, not a raw decimal
    const [note] = await t.db.query(`SELECT params FROM notification WHERE kind = 'invoice.uploaded' AND recipient_user_id = $1`, [fin.maker.id]);
    expect((typeof note.params === 'string' ? JSON.parse(note.params) : note.params).totalPay).toMatch(/^¥[\d,]+\.\d{2}$/);
    expect((await upload(pa, la, good)).status).toBe(422);

    // no accepted invoice: the line cannot be paid
    const fs = await t.login('inv-checker');
    const pay = (form: Record<string, string>) => fs.post(`/settlement/batches/${r.batchId}/paid`, form).set('Accept', 'application/json');
    const blocked = await pay({ comment: 'ICBC-1', paidOn: '2026-11-02', scope: 'selected', line: la });
    expect(blocked.status).toBe(422);
    expect(blocked.body.message).toBe(tDeep('en', 'invoices:errors.blocked', { list: a.code }));

    // the payments file is refused the same way, by row and column, nothing paid
    const file = `batch_id,partner_code,paid_amount,paid_on,payment_reference\n${r.batchId},${a.code},100.00,2026-11-02,F-1\n${r.batchId},${b.code},50.00,2026-11-02,F-2\n`;
    const err = await batches.importPaymentConfirmation(fin.checker, file).catch((e) => e);
    expect(err.errors.filter((e: { message: string }) => e.message === 'invoices:errors.blockedRow').map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([[2, 'partner_code'], [3, 'partner_code']]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_line WHERE batch_id = $1 AND paid_on IS NOT NULL`, [r.batchId]))[0].n).toBe(0);

    // finance: accepting a different amount needs the reason; rejecting tells the partner, who uploads again
    const check = (id: number, form: Record<string, string>) => fs.post(`/invoices/${id}/check`, form).set('Accept', 'application/json');
    const noReason = await check(first.id, { decision: 'accept' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.message).toBe(tDeep('en', 'invoices:errors.mismatchReasonRequired', { amount: '99.00', totalPay: '100.00' }));
    expect((await fs.get('/invoices')).text).toContain(`data-testid="invoice-line-${la}"`);
    expect((await check(first.id, { decision: 'reject', reason: '金额应为 100.00 元' })).status).toBe(303);
    // the default list holds only invoices waiting for a check (a line's latest); the batch view every line of the batch
    const waiting = async () => (await fs.get('/invoices')).text.includes(`data-testid="invoice-line-${la}"`);
    expect(await waiting()).toBe(false);
    const batchPage = (await fs.get(`/invoices?batch=${r.batchId}`)).text;
    expect([la, lb].map((id) => batchPage.includes(`data-testid="invoice-line-${id}"`))).toEqual([true, true]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE kind = 'invoice.rejected' AND recipient_user_id = $1`, [pa.user!.id]))[0].n).toBe(1);
    const page = (await pa.get('/my/statements/2026Q3')).text;
    expect(page).toContain(tDeep('en', 'invoices:my.rejectedReason', { reason: '金额应为 100.00 元' }));
    expect(page).toContain(`action="/my/invoices/${la}"`);
    expect((await upload(pa, la, good)).status).toBe(303);
    const second = (await invoices(la))[1];
    expect(await waiting()).toBe(true);
    expect((await check(second.id, { decision: 'accept' })).status).toBe(303);
    expect((await invoices(la))[1]).toMatchObject({ status: 'accepted', amount_matches: true });
    expect(await waiting()).toBe(false);
    expect((await check(second.id, { decision: 'reject', reason: 'again' })).status).toBe(422);

    // b has no invoice: paid only with finance's per-line reason (stored, audited)
    expect((await pay({ comment: 'ICBC-1', paidOn: '2026-11-02', scope: 'all' })).body.message).toBe(tDeep('en', 'invoices:errors.blocked', { list: b.code }));
    expect((await fs.post(`/invoices/lines/${lb}/pay-without-invoice`, { reason: '' }).set('Accept', 'application/json')).status).toBe(422);
    expect((await fs.post(`/invoices/lines/${lb}/pay-without-invoice`, { reason: '伙伴为小规模纳税人，发票季度末统一开具' })).status).toBe(303);
    expect((await t.db.query(`SELECT pay_without_invoice_reason AS r, pay_without_invoice_by AS by FROM settlement_line WHERE id = $1`, [lb]))[0]).toEqual({ r: '伙伴为小规模纳税人，发票季度末统一开具', by: fin.checker.id });
    expect((await pay({ comment: 'ICBC-1', paidOn: '2026-11-02', scope: 'all' })).status).toBe(303);
    expect((await batches.get(r.batchId)).status).toBe('paid');
    const actions = (await t.db.query(`SELECT action FROM audit_log WHERE action LIKE 'invoice.%' OR action = 'settlement.line.payWithoutInvoice' ORDER BY id`)).map((x: { action: string }) => x.action);
    expect(actions).toEqual(['invoice.submit', 'invoice.reject', 'invoice.submit', 'invoice.accept', 'settlement.line.payWithoutInvoice']);
  });

  it('a refused invoice leaves no file on the line: the document and the invoice are written in one transaction', async () => {
    const a = await t.createPartner();
    fakeScores(t, { '2026Q2': { [a.id]: '95' } });
    await importCsv(t, '2026Q2', lines(a.code, ['80.00'], '2026-05-10'));
    const r = await t.get(SettlementRunService).run(fin.maker, '2026Q2');
    const batches = t.get(SettlementBatchService);
    await batches.approve(fin.checker, r.batchId, '核对无误');
    await batches.export(fin.checker, r.batchId);
    const la = await lineOf(r.batchId, a.id);
    const pa = await t.loginAs('partner', { partnerId: a.id });
    const docs = async () => (await t.db.query(`SELECT count(*)::int AS n FROM document WHERE owner_kind = 'settlement_line' AND owner_id = $1`, [la]))[0].n;
    const good = { invoiceNo: '04400190022', amount: '80.00', invoiceDate: '2026-11-01', taxRate: '6' };
    // the invoice row fails after the document row was written (a database refusal made for this test)
    await t.db.query(`CREATE FUNCTION test_refuse_invoice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await t.db.query(`CREATE TRIGGER test_refuse_invoice BEFORE INSERT ON settlement_invoice FOR EACH ROW EXECUTE FUNCTION test_refuse_invoice()`);
    try {
      expect((await upload(pa, la, good)).status).toBe(500);
    } finally {
      await t.db.query(`DROP TRIGGER test_refuse_invoice ON settlement_invoice`);
      await t.db.query(`DROP FUNCTION test_refuse_invoice()`);
    }
    expect(await docs()).toBe(0);
    expect(await invoices(la)).toHaveLength(0);
    expect((await upload(pa, la, good)).status).toBe(303);
    expect(await docs()).toBe(1);
    expect((await invoices(la))[0].document_id).not.toBeNull();
  });
});
