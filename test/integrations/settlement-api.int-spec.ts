import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { ServiceAccountsService } from '../../src/modules/integrations/service-accounts.service';
import { WebhooksService } from '../../src/modules/integrations/webhooks.service';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { fakeScores, FINANCE, importCsv, lines, payWithoutInvoices, checker } from '../settlement/helpers';
import { createTestApp, TestApp } from '../support/test-app';

const ADMIN = { ...SYSTEM_ACTOR, id: 0, username: 'admin-test' };

describe('integrations: settlement over /api/v1 (batches, lines with cursors, payments) and the batch webhooks', () => {
  let t: TestApp;
  let read: string;
  let payouts: string;
  let batchId: number;
  const codes: string[] = [];
  const api = () => request(t.http);

  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'false' });
    const accounts = t.get(ServiceAccountsService);
    const { id } = await accounts.create(ADMIN, { name: 'erp', owner: '财务部', purpose: '付款' });
    read = (await accounts.issue(ADMIN, id, { scopes: ['settlement:read'] })).token;
    payouts = (await accounts.issue(ADMIN, id, { scopes: ['payouts:read'] })).token;
    await t.get(WebhooksService).subscribe(ADMIN, id, { url: 'http://127.0.0.1:9/hook', events: ['batch.approved', 'batch.paid'] });
    const ps = [await t.createPartner(), await t.createPartner(), await t.createPartner()];
    for (const p of ps) codes.push(p.code);
    fakeScores(t, { '2026Q3': Object.fromEntries(ps.map((p) => [p.id, '95.00'])) });
    await importCsv(t, '2026Q3', ps.map((p) => lines(p.code, ['100.00', '20.50'])).join(''));
    batchId = (await t.get(SettlementRunService).run(FINANCE, '2026Q3')).batchId;
  }, 60_000);
  afterAll(() => t?.close());

  it('lists approved batches only after approval, and the approval enqueued a webhook delivery in its transaction', async () => {
    expect((await api().get('/api/v1/settlement/batches?status=approved').set('Authorization', `Bearer ${read}`).expect(200)).body.items).toEqual([]);
    await t.get(SettlementBatchService).approve(await checker(t), batchId, '审批通过');
    const res = await api().get('/api/v1/settlement/batches?status=approved').set('Authorization', `Bearer ${read}`).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ id: batchId, status: 'approved', lineCount: 3, totalPay: '361.50' })]);
    const [d] = await t.db.query(`SELECT event_type, payload->'data'->>'batchId' AS b FROM webhook_delivery`);
    expect(d).toEqual({ event_type: 'batch.approved', b: String(batchId) });
  });

  it('pages lines with a cursor in a stable order; bank accounts only with payouts:read', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res: request.Response = await api().get(`/api/v1/settlement/batches/${batchId}/lines?limit=1${cursor ? `&cursor=${cursor}` : ''}`).set('Authorization', `Bearer ${read}`).expect(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0].bankAccountNo).toBeNull();
      seen.push(res.body.items[0].partnerCode);
      cursor = res.body.nextCursor;
    }
    expect([...seen].sort()).toEqual([...codes].sort());
    expect(new Set(seen).size).toBe(3);
    const withBank = await api().get(`/api/v1/settlement/batches/${batchId}/lines`).set('Authorization', `Bearer ${payouts}`).expect(200);
    expect(withBank.body.items[0].bankAccountNo).toBe('6222020000001234');
  });

  it('confirms payments once (payouts:read); a repeat answers the paid state and changes nothing; a wrong amount names the line', async () => {
    await t.get(SettlementBatchService).export(FINANCE, batchId);
    await payWithoutInvoices(t, batchId);
    const pay = codes.map((c) => ({ partner_code: c, paid_amount: '120.50', paid_on: '2026-10-20', payment_reference: `ERP-${c}` }));
    const wrong = await api().post(`/api/v1/settlement/batches/${batchId}/payments`).set('Authorization', `Bearer ${payouts}`).send({ payments: [{ ...pay[0], paid_amount: '1.00' }, ...pay.slice(1)] }).expect(422);
    expect(wrong.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ line: 2, field: 'paid_amount' })]));
    await api().post(`/api/v1/settlement/batches/${batchId}/payments`).set('Authorization', `Bearer ${read}`).send({ payments: pay }).expect(403);
    const ok = await api().post(`/api/v1/settlement/batches/${batchId}/payments`).set('Authorization', `Bearer ${payouts}`).send({ payments: pay }).expect(200);
    expect(ok.body).toMatchObject({ status: 'paid', replayed: false, lines: 3 });
    const again = await api().post(`/api/v1/settlement/batches/${batchId}/payments`).set('Authorization', `Bearer ${payouts}`).send({ payments: pay }).expect(200);
    expect(again.body).toMatchObject({ status: 'paid', replayed: true });
    const events = await t.db.query(`SELECT event_type FROM webhook_delivery ORDER BY id`);
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual(['batch.approved', 'batch.paid']);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'settlement.batch.paid' AND actor_label = 'service:erp'`);
    expect(n).toBe(1);
  });
});
