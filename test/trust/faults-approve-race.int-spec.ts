import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { importCsv, lines } from '../settlement/helpers';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Two finance users approve the same batch at the same moment through the API (the settlement module's own test
 * races the service calls; this one races two real HTTP sessions): exactly one wins, the other gets a clear 409.
 */
describe('two finance users approve the same batch at once', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('exactly one approval succeeds; the other gets 409 with a clear message; one audit entry', async () => {
    const p = await t.createPartner();
    await importCsv(t, '2026Q3', lines(p.code, ['100.00', '250.50']));
    const { batchId } = await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3', { overrides: { [p.id]: 'race test' } });
    const [f1, f2] = [await t.loginAs('finance'), await t.loginAs('finance')];
    const [r1, r2] = await Promise.all([
      f1.post(`/api/settlement/batches/${batchId}/approve`, { comment: 'checked by one' }),
      f2.post(`/api/settlement/batches/${batchId}/approve`, { comment: 'checked by two' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    const loser = r1.status === 409 ? r1 : r2;
    expect(loser.body.message).toMatch(/already approved|someone else|is approved|changed/i);
    const [b] = await t.db.query(`SELECT status, version FROM settlement_batch WHERE id = $1`, [batchId]);
    expect(b.status).toBe('approved');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'settlement.batch.approve' AND entity_id = $1`, [String(batchId)]);
    expect(n).toBe(1);
  });
});
