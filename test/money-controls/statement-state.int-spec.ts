import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines, payWithoutInvoices, checker } from '../settlement/helpers';

/** Partners read each statement's state in their words (#16): draft (not final), approved, paid on DATE with reference. */
describe('money controls: the statement\'s state as the partner reads it', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('draft → approved → paid with its reference; another partner cannot open it', async () => {
    const a = await t.createPartner();
    const b = await t.createPartner();
    fakeScores(t, { '2026Q3': { [a.id]: '95', [b.id]: '95' } });
    await importCsv(t, '2026Q3', lines(a.code, ['100.00'], '2026-08-10') + lines(b.code, ['50.00'], '2026-08-10'));
    const r = await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3');
    const pa = await t.loginAs('partner', { partnerId: a.id });
    const state = async () => /data-testid="statement-state"><b>([^<]*)</.exec((await pa.get('/my/statements/2026Q3')).text)?.[1];
    expect(await state()).toBe(tDeep('en', 'money:statement.stateDraft'));
    const batches = t.get(SettlementBatchService);
    await batches.approve(await checker(t), r.batchId, 'ok');
    expect(await state()).toMatch(/^Approved on \d{4}-\d{2}-\d{2}$/);
    await batches.export(SYSTEM_ACTOR, r.batchId);
    await payWithoutInvoices(t, r.batchId);
    await batches.markPaid(SYSTEM_ACTOR, r.batchId, 'ICBC-20261120-0007');
    expect(await state()).toMatch(/^Paid on \d{4}-\d{2}-\d{2}, reference ICBC-20261120-0007$/);
    // a partner only ever reaches its own statement
    const pb = await t.loginAs('partner', { partnerId: b.id });
    expect((await pb.get(`/settlement/statements/${a.id}/2026Q3`)).status).toBe(403);
    const own = await pb.get('/my/statements/2026Q3');
    expect(own.text).not.toContain(a.code);
  });
});
