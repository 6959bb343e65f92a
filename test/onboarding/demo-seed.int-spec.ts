import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { DemoSeedContext } from '../../src/core/web/discovery';
import { OnboardingDemoSeeder } from '../../src/modules/onboarding/onboarding.demo-seed';
import { createTestApp, TestApp } from '../support/test-app';

describe('onboarding demo data', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('seeds demo partners in every status with logins for the active ones', async () => {
    const ctx: DemoSeedContext = { manager: undefined as never, actor: SYSTEM_ACTOR, logins: [], bag: {}, log: () => undefined };
    await t.db.transaction((m) => t.get(OnboardingDemoSeeder).seed({ ...ctx, manager: m }));
    const statuses = (await t.db.query(`SELECT status, count(*)::int AS n FROM partner GROUP BY status ORDER BY status`))
      .map((r: { status: string; n: number }) => `${r.status}:${r.n}`);
    expect(statuses).toEqual(['active:4', 'applied:1', 'approved:1', 'rejected:1', 'suspended:1', 'under_review:1']);
    expect(ctx.logins.map((l) => l.username)).toEqual(['partner1', 'partner2', 'partner3', 'partner4']);
    const active = ctx.bag.activePartnerIds as number[];
    expect(active).toHaveLength(4);
    expect(Object.keys(ctx.bag.partnerIds as object)).toHaveLength(9);
    expect(ctx.bag[`partnerUser:${active[0]}`]).toEqual(expect.any(Number));
    const [draft] = await t.db.query(`SELECT r.total, r.decision FROM application_review r JOIN partner p ON p.id = r.partner_id WHERE p.status = 'under_review'`);
    expect(draft).toEqual({ total: null, decision: null });
    const [rejected] = await t.db.query(`SELECT r.total, r.decision FROM application_review r JOIN partner p ON p.id = r.partner_id WHERE p.status = 'rejected'`);
    expect(rejected.decision).toBe('rejected');
    expect(Number(rejected.total)).toBeLessThan(70);
    const p1 = await t.login('partner1', 'demo-password-1');
    expect((await p1.get(`/partners/${active[0]}`)).status).toBe(200);
    expect((await p1.get(`/partners/${active[1]}`)).status).toBe(404);
  });
});
