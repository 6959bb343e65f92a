import { createTestApp, Session, TestApp } from '../support/test-app';

/** Spreadsheet path (all-or-nothing import, export) and the server-rendered pages of scoring. */
describe('scoring: CSV import, pages and partner scoping', () => {
  let t: TestApp;
  let manager: Session;
  let a: { id: number; code: string };
  let b: { id: number; code: string };
  const PERIOD = '2026Q2';

  const lineScores = async (partnerId: number) => Object.fromEntries((await t.db.query(
    `SELECT i.code, l.score::text AS score, l.comment FROM score_sheet_line l JOIN scoring_indicator i ON i.id = l.indicator_id
       JOIN score_sheet s ON s.id = l.sheet_id WHERE s.partner_id = $1 AND s.period = $2`, [partnerId, PERIOD])).map((r: { code: string; score: string }) => [r.code, r]));

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.createPartner();
    b = await t.createPartner({ status: 'suspended' });
    manager = await t.loginAs('channel_manager');
    await manager.postForm('/scoring/open', { period: PERIOD, disputeWindowDays: 3 }).expect(303);
  });
  afterAll(() => t?.close());

  it('opens sheets for active and suspended partners from the page', async () => {
    const [{ n, days }] = await t.db.query(`SELECT count(*)::int AS n, max(p.dispute_window_days) AS days FROM score_sheet s JOIN scoring_period p ON p.period = s.period WHERE s.period = $1`, [PERIOD]);
    expect(n).toBe(2);
    expect(days).toBe(3);
  });

  it('a CSV with one bad row imports nothing and lists every bad row', async () => {
    const csv = [
      'partner_code,indicator_code,score,comment',
      `${a.code},PROFESSIONAL_QUALITY,88,ok`,
      `${a.code},DUTY_COMPLETION,50,computed`,
      `${b.code},SERVICE_ATTITUDE,101,too high`,
      `NOPE,SERVICE_ATTITUDE,80,`,
    ].join('\n');
    const res = await manager.upload(`/api/scoring/periods/${PERIOD}/import`, 'file', csv);
    expect(res.status).toBe(422);
    expect(res.body.rows).toEqual([
      { row: 3, column: 'indicator_code', message: expect.stringMatching(/computed from data/) },
      { row: 4, column: 'score', message: expect.stringMatching(/not a score/) },
      { row: 5, column: 'partner_code', message: 'no partner with code NOPE' },
    ]);
    expect((await lineScores(a.id)).PROFESSIONAL_QUALITY.score).toBeNull();
  });

  it('a good CSV fills the manual scores and Y of every sheet', async () => {
    const csv = ['partner_code,indicator_code,score,comment',
      `${a.code},PROFESSIONAL_QUALITY,88,visits well prepared`, `${a.code},SERVICE_ATTITUDE,92,`,
      `${b.code},PROFESSIONAL_QUALITY,70,`, `${b.code},SERVICE_ATTITUDE,60,`].join('\n');
    const res = await manager.upload(`/scoring/${PERIOD}/import`, 'file', csv).set('Referer', `http://x/scoring/${PERIOD}`);
    expect(res.status).toBe(303);
    const scores = await lineScores(a.id);
    expect(scores.PROFESSIONAL_QUALITY).toEqual({ code: 'PROFESSIONAL_QUALITY', score: '88.00', comment: 'visits well prepared' });
    const [{ y }] = await t.db.query(`SELECT score_y::text AS y FROM score_sheet WHERE partner_id = $1 AND period = $2`, [b.id, PERIOD]);
    // no duties or violations data: computed indicators are 100 (weight 70) → 70 + 15×0.70 + 15×0.60 = 89.50
    expect(y).toBe('89.50');
  });

  it('shows the period overview with statuses, Y, P and an inline SVG histogram', async () => {
    const page = await manager.get(`/scoring/${PERIOD}`).expect(200);
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('89.50');
    expect(page.text).toContain('0.994444');
    // the bars count the newest revision of every partner's sheet that has a Y (#18: read as scores only)
    const bars = [...page.text.matchAll(/<rect [^>]*><title>[^<]*: (\d+)<\/title>/g)].map((m) => Number(m[1]));
    expect(bars).toHaveLength(5);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM (SELECT DISTINCT ON (partner_id) score_y FROM score_sheet WHERE period = $1 ORDER BY partner_id, revision DESC) x WHERE score_y IS NOT NULL`, [PERIOD]);
    expect(n).toBeGreaterThan(0);
    expect(bars.reduce((a, b) => a + b, 0)).toBe(n);
    expect(page.text).not.toContain('<script');
    expect((await manager.get('/scoring').expect(200)).text).toContain(`href="/scoring/${PERIOD}"`);
  });

  it('edits, submits and confirms through the sheet editor forms', async () => {
    const [sheet] = await t.db.query(`SELECT id, version FROM score_sheet WHERE partner_id = $1 AND period = $2`, [a.id, PERIOD]);
    const editor = await manager.get(`/scoring/sheets/${sheet.id}`).expect(200);
    expect(editor.text).toContain('name="score_SERVICE_ATTITUDE"');
    expect(editor.text).not.toContain('name="score_DUTY_COMPLETION"');
    await manager.postForm(`/scoring/sheets/${sheet.id}/lines`, { score_SERVICE_ATTITUDE: '95', comment_SERVICE_ATTITUDE: 'survey' }).expect(303);
    await manager.postForm(`/scoring/sheets/${sheet.id}/submit`, {}).expect(303);
    const refused = await manager.postForm(`/scoring/sheets/${sheet.id}/confirm`, {}).set('Referer', `http://x/scoring/sheets/${sheet.id}`);
    expect(refused.status).toBe(303);
    expect((await manager.get(`/scoring/sheets/${sheet.id}`)).text).toContain('dispute window is open');
    await manager.postForm(`/scoring/sheets/${sheet.id}/confirm`, { withinWindow: 'on', reason: 'partner agreed by phone' }).expect(303);
    const [after] = await t.db.query(`SELECT status, score_y::text AS y FROM score_sheet WHERE id = $1`, [sheet.id]);
    expect(after).toEqual({ status: 'confirmed', y: '97.45' });
    const [audit] = await t.db.query(`SELECT reason FROM audit_log WHERE action = 'scoring.sheet.confirm' AND entity_id = $1`, [String(sheet.id)]);
    expect(audit.reason).toBe('partner agreed by phone');
  });

  it('the partner sees only their own scores with the trend; another partner gets 404', async () => {
    const userA = await t.loginAs('partner', { partnerId: a.id });
    const userB = await t.loginAs('partner', { partnerId: b.id });
    const [sheet] = await t.db.query(`SELECT id FROM score_sheet WHERE partner_id = $1 AND period = $2`, [a.id, PERIOD]);
    const mine = await userA.get('/my/scores').expect(200);
    expect(mine.text).toContain('97.45');
    expect((await userA.get(`/my/scores/${sheet.id}`)).status).toBe(200);
    expect((await userB.get(`/my/scores/${sheet.id}`)).status).toBe(404);
    expect((await userB.get('/my/scores')).text).not.toContain('97.45'); // B's sheet is still a draft: not shown
    expect((await userA.get(`/scoring/${PERIOD}`)).status).toBe(403);
  });

  it('exports every sheet of the period with P to 6 decimals', async () => {
    const csv = await manager.get(`/scoring/${PERIOD}/export.csv`).expect(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('partner_code,score_y,coefficient_p,status');
    expect(lines).toContain(`${a.code},97.45,1.000000,confirmed`);
    expect(lines).toContain(`${b.code},89.50,0.994444,draft`);
  });
});
