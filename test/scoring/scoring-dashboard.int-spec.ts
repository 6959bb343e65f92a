import { createTestApp, TestApp } from '../support/test-app';

describe('scoring home panel', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('shows a partner its shared sheets with Y and P, never drafts; staff see what is left to confirm', async () => {
    const a = await t.createPartner();
    const [scheme] = await t.db.query(`SELECT id FROM scoring_scheme ORDER BY version DESC LIMIT 1`);
    for (const period of ['2026Q2', '2026Q3']) {
      await t.db.query(`INSERT INTO scoring_period (period, scheme_id, dispute_window_days) VALUES ($1, $2, 7)`, [period, scheme.id]);
    }
    await t.db.query(`INSERT INTO score_sheet (period, partner_id, scheme_id, status, score_y, confirmed_at) VALUES ('2026Q2', $1, $2, 'confirmed', 81.00, now())`, [a.id, scheme.id]);
    await t.db.query(`INSERT INTO score_sheet (period, partner_id, scheme_id, status, score_y) VALUES ('2026Q3', $1, $2, 'draft', 55.00)`, [a.id, scheme.id]);
    const partner = await t.loginAs('partner', { partnerId: a.id });
    const home = (await partner.get('/').expect(200)).text;
    expect(home).toContain('My quality scores');
    expect(home).toContain('Y 81.00 · P 0.900000');
    expect(home).not.toContain('55.00');
    const manager = await t.loginAs('channel_manager');
    const staffHome = (await manager.get('/').expect(200)).text;
    expect(staffHome).toContain('2026Q3: 1 sheet(s) not confirmed');
  });
});
