import { Actor, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { tDeep } from '../../src/core/i18n/i18n';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines } from '../settlement/helpers';

/** 对账确认 (#16): the partner confirms a statement or raises an inquiry within STATEMENT_INQUIRY_DAYS after approval. */
describe('money controls: the partner confirms or questions a statement within the window', () => {
  let t: TestApp;
  const fin: Record<'maker' | 'checker', Actor> = {} as never;
  beforeAll(async () => {
    t = await createTestApp({ STATEMENT_INQUIRY_DAYS: '7' });
    for (const k of ['maker', 'checker'] as const) {
      const u = await t.createUser('finance', { username: `conf-${k}` });
      fin[k] = { ...SYSTEM_ACTOR, id: u.id, username: u.username, role: 'finance' };
    }
  });
  afterAll(() => t?.close());

  const json = (s: Session, url: string, body: object) => s.post(url, body).set('Accept', 'application/json');
  const lineOf = async (batchId: number, partnerId: number): Promise<number> =>
    Number((await t.db.query(`SELECT id FROM settlement_line WHERE batch_id = $1 AND partner_id = $2`, [batchId, partnerId]))[0].id);

  it('draft: question yes, confirm no; approved: confirm (who, when, audited) ends new inquiries; finance sees it per line', async () => {
    const [a, b, c] = [await t.createPartner(), await t.createPartner(), await t.createPartner()];
    fakeScores(t, { '2026Q3': { [a.id]: '95', [b.id]: '95', [c.id]: '95' } });
    await importCsv(t, '2026Q3', lines(a.code, ['100.00'], '2026-08-10') + lines(b.code, ['50.00'], '2026-08-10') + lines(c.code, ['70.00'], '2026-08-10'));
    const r = await t.get(SettlementRunService).run(fin.maker, '2026Q3');
    const [la, lb, lc] = [await lineOf(r.batchId, a.id), await lineOf(r.batchId, b.id), await lineOf(r.batchId, c.id)];
    const pa = await t.loginAs('partner', { partnerId: a.id });
    const pb = await t.loginAs('partner', { partnerId: b.id });
    const pc = await t.loginAs('partner', { partnerId: c.id });

    // a draft is not final: no confirm button, a confirmation is refused with the reason
    let page = (await pa.get('/my/statements/2026Q3')).text;
    expect(page).not.toContain('/my/statements/2026Q3/confirm');
    const early = await json(pa, '/my/statements/2026Q3/confirm', { lineId: la });
    expect(early.status).toBe(422);
    expect(early.body.message).toBe(tDeep('en', 'settlement:window.notFinalError', { id: r.batchId }));

    const batches = t.get(SettlementBatchService);
    await batches.approve(fin.checker, r.batchId, '核对无误');
    await batches.export(fin.checker, r.batchId);
    page = (await pa.get('/my/statements/2026Q3')).text;
    expect(page).toContain('/my/statements/2026Q3/confirm');
    expect(page).toMatch(/Confirm this statement or raise an inquiry by \d{4}-\d{2}-\d{2}/);

    // another partner's line: 404 for confirming and for questioning, nothing written
    expect((await json(pb, '/my/statements/2026Q3/confirm', { lineId: la })).status).toBe(404);
    expect((await json(pb, '/my/statements/2026Q3/inquiries', { lineId: la, amount: '5.00', reason: 'x' })).status).toBe(404);

    // after export, within the window, the inquiry form still works
    expect((await json(pa, '/my/statements/2026Q3/inquiries', { lineId: la, amount: '5.00', reason: '少算了一笔' })).status).toBeLessThan(400);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM settlement_inquiry WHERE line_id = $1`, [la]))[0].n).toBe(1);

    // confirming records who and when, audited; then no new inquiry
    expect((await json(pa, '/my/statements/2026Q3/confirm', { lineId: la })).status).toBeLessThan(400);
    const [row] = await t.db.query(`SELECT confirmed_by, confirmed_at FROM settlement_line WHERE id = $1`, [la]);
    expect(row.confirmed_by).toBe(pa.user!.id);
    expect(row.confirmed_at).not.toBeNull();
    expect((await t.db.query(`SELECT actor_user_id FROM audit_log WHERE action = 'settlement.statement.confirm' AND entity_id = $1`, [String(la)]))[0]?.actor_user_id).toBe(pa.user!.id);
    expect((await pa.get('/my/statements/2026Q3')).text).toContain('data-testid="statement-confirmation" class="small"><span class="badge ok">');
    const late = await json(pa, '/my/statements/2026Q3/inquiries', { lineId: la, amount: '5.00', reason: 'again' });
    expect(late.status).toBe(422);
    expect(late.body.message).toBe(tDeep('en', 'settlement:window.confirmedError'));
    expect((await json(pa, '/my/statements/2026Q3/confirm', { lineId: la })).status).toBe(422);
    expect((await t.db.query(`SELECT confirmed_by FROM settlement_line WHERE id = $1`, [lb]))[0].confirmed_by).toBeNull();

    // finance sees the confirmation state per line; the list of the partner's periods says "confirmed"
    const fpage = (await (await t.login('conf-maker')).get(`/settlement/batches/${r.batchId}`)).text;
    const badges = [...fpage.matchAll(/data-testid="line-confirmation" class="badge( ok)?"[^>]*>([^<]*)</g)].map((m) => m[2]);
    expect(badges.filter((x) => x.startsWith('confirmed '))).toHaveLength(1);
    expect(badges.filter((x) => x === tDeep('en', 'settlement:batch.notConfirmed'))).toHaveLength(2);
    expect((await pa.get('/my/statements')).text).toContain(tDeep('en', 'settlement:my.confirmed'));

    // the window ends STATEMENT_INQUIRY_DAYS after the approval's business date: afterwards neither is possible
    await t.db.query(`UPDATE settlement_batch SET approved_at = now() - interval '9 days' WHERE id = $1`, [r.batchId]);
    const closed = await json(pc, '/my/statements/2026Q3/inquiries', { lineId: lc, amount: '5.00', reason: 'too late' });
    expect(closed.status).toBe(422);
    expect(closed.body.message).toMatch(/^The period for confirming or questioning ended on \d{4}-\d{2}-\d{2}/);
    expect((await json(pc, '/my/statements/2026Q3/confirm', { lineId: lc })).status).toBe(422);
    page = (await pc.get('/my/statements/2026Q3')).text;
    expect(page).not.toContain('/my/statements/2026Q3/confirm');
    expect(page).not.toContain('/my/statements/2026Q3/inquiries');
  });
});
