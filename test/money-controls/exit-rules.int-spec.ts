import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { ExitService } from '../../src/modules/exit/exit.service';
import { ExitCompletionService } from '../../src/modules/exit/exit-completion.service';
import { createTestApp, TestApp } from '../support/test-app';

/** Exit money rules (#16): one violation is the evidence of at most one exit proposal. */
describe('money controls: one violation, at most one exit proposal', () => {
  let t: TestApp;

  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('refuses a second proposal naming a violation already used, even after the first was dismissed', async () => {
    const p = await t.createPartner();
    const exits = t.get(ExitService);
    const insert = (ids: number[]) => (exits as unknown as { insertProposal: (a: unknown, p: number, tr: string, e: unknown) => Promise<{ id: number } | null> })
      .insertProposal(SYSTEM_ACTOR, p.id, 'major_violation', { violationIds: ids });
    const [v1, v2] = [9001, 9002];
    const first = await insert([v1]);
    expect(first).not.toBeNull();
    await exits.dismiss(SYSTEM_ACTOR, first!.id, '误报');
    // the same violation again (e.g. a retried or concurrent evaluation): nothing is proposed, nothing left behind
    expect(await insert([v1, v2])).toBeNull();
    const rows = await t.db.query(`SELECT id, status FROM exit_proposal WHERE partner_id = $1 ORDER BY id`, [p.id]);
    expect(rows).toEqual([{ id: first!.id, status: 'dismissed' }]);
    // a new violation alone may propose
    const second = await insert([v2]);
    expect(second).not.toBeNull();
    expect(await t.db.query(`SELECT violation_id, proposal_id FROM exit_proposal_violation ORDER BY violation_id`)).toEqual([
      { violation_id: v1, proposal_id: first!.id }, { violation_id: v2, proposal_id: second!.id },
    ]);
  });
});

describe('money controls: the partner\'s response window before an exit completes', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('refuses a manager, and an admin without a reason, while the window is open; an admin with a reason completes', async () => {
    const p = await t.createPartner();
    const [prop] = await t.db.query(`INSERT INTO exit_proposal (partner_id, trigger, evidence, status, decided_at, reason) VALUES ($1, 'contract_end', '{}'::jsonb, 'approved', now(), '合同到期') RETURNING id`, [p.id]);
    await t.db.query(`INSERT INTO handover (proposal_id, partner_id, status) VALUES ($1, $2, 'open')`, [prop.id, p.id]);
    await t.db.query(`UPDATE partner SET status = 'exiting' WHERE id = $1`, [p.id]);
    const completion = t.get(ExitCompletionService);
    const manager = { ...SYSTEM_ACTOR, id: (await t.createUser('channel_manager')).id, role: 'channel_manager' as const };
    const admin = { ...SYSTEM_ACTOR, id: (await t.createUser('admin')).id, role: 'admin' as const };
    await expect(completion.complete(manager, prop.id, { overrideReason: '客户要求' })).rejects.toThrow('money:exit.responseWindowOpen');
    await expect(completion.complete(admin, prop.id, {})).rejects.toThrow('money:exit.responseWindowOpen');
    const r = await completion.complete(admin, prop.id, { overrideReason: '合作伙伴书面放弃答复' });
    expect(r.batchId).toEqual(expect.any(Number));
    const [audit] = await t.db.query(`SELECT reason FROM audit_log WHERE action = 'exit.response_window.override'`);
    expect(audit.reason).toBe('合作伙伴书面放弃答复');
  });
});
