import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { DemoSeedContext } from '../../src/core/web/discovery';
import { CustomersDemoSeed } from '../../src/modules/customers/customers.demo-seed';
import { DutiesDemoSeed } from '../../src/modules/duties/duties.demo-seed';
import { DutiesService } from '../../src/modules/duties/duties.service';
import { createTestApp, TestApp } from '../support/test-app';

describe('customers and duties demo data', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('seeds every stage and class, checklists for 2026Q3 and 2026Q4, records, overdue items and alerts', async () => {
    const partners = [await t.createPartner(), await t.createPartner(), await t.createPartner(), await t.createPartner()];
    const manager = await t.createUser('channel_manager');
    const bag: Record<string, unknown> = { activePartnerIds: partners.map((p) => p.id), 'user:manager': manager.id };
    await t.db.transaction(async (m) => {
      const ctx: DemoSeedContext = { manager: m, actor: SYSTEM_ACTOR, logins: [], bag, log: () => undefined };
      await t.get(CustomersDemoSeed).seed(ctx);
      await t.get(DutiesDemoSeed).seed(ctx);
    });
    expect((bag.customerIds as number[]).length).toBe(40);
    const [mix] = await t.db.query(`SELECT count(DISTINCT stage)::int AS stages, count(DISTINCT customer_class)::int AS classes FROM customer`);
    expect(mix).toEqual({ stages: 5, classes: 3 });
    const periods = await t.db.query(`SELECT period, count(*)::int AS n FROM checklist_item GROUP BY period ORDER BY period`);
    expect(periods.map((p: { period: string }) => p.period)).toEqual(['2026Q3', '2026Q4']);
    const [{ records }] = await t.db.query(`SELECT count(*)::int AS records FROM service_record`);
    expect(records).toBeGreaterThan(50);
    const [{ alerts }] = await t.db.query(`SELECT count(*)::int AS alerts FROM duty_alert`);
    expect(alerts).toBeGreaterThan(0);
    const duties = t.get(DutiesService);
    expect(await duties.isQuarterLocked('2026Q3')).toBe(true);
    const c = await duties.completionFor(partners[0].id, '2026Q3');
    expect(c.fulfilled).toBeGreaterThan(0);
    expect(c.fulfilled).toBeLessThan(c.required);
  });
});
