import { createTestApp, TestApp } from '../support/test-app';

describe('scoring scheme form (admin)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  const currentRows = async () => (await t.db.query(
    `SELECT i.code, i.name, i.family, i.method, i.weight::text AS weight, i.deduction_kinds FROM scoring_indicator i
       JOIN scoring_scheme s ON s.id = i.scheme_id WHERE s.version = (SELECT max(version) FROM scoring_scheme) ORDER BY i.position`)) as
    { code: string; name: string; family: string; method: string; weight: string; deduction_kinds: string[] }[];

  const form = (rows: { code: string; name: string; family: string; method: string; weight: string }[], note: string) => {
    const f: Record<string, string> = { note };
    rows.forEach((r, i) => Object.entries(r).forEach(([k, v]) => (f[`indicators[${i}][${k}]`] = v)));
    f[`indicators[${rows.length}][code]`] = '';
    f[`indicators[${rows.length}][name]`] = '';
    f[`indicators[${rows.length}][weight]`] = '';
    return f;
  };

  it('saves edited weights as a new version and ignores the blank row', async () => {
    const admin = await t.loginAs('admin');
    const before = await currentRows();
    const [{ v }] = await t.db.query(`SELECT max(version) AS v FROM scoring_scheme`);
    const rows = before.map(({ code, name, family, method, weight }) => ({ code, name, family, method, weight }));
    const moved = Math.min(5, Number(rows[1].weight));
    rows[0].weight = (Number(rows[0].weight) + moved).toFixed(2);
    rows[1].weight = (Number(rows[1].weight) - moved).toFixed(2);
    const res = await admin.postForm('/scoring/schemes', form(rows, 'shift weight to duty completion'));
    expect(res.status).toBe(303);
    const [{ v: after }] = await t.db.query(`SELECT max(version) AS v FROM scoring_scheme`);
    expect(Number(after)).toBe(Number(v) + 1);
    const saved = await currentRows();
    expect(saved.map((r) => Number(r.weight))).toEqual(rows.map((r) => Number(r.weight)));
    expect(saved.length).toBe(before.length);
  });

  it('refuses weights that do not add up to 100 and keeps the old version', async () => {
    const admin = await t.loginAs('admin');
    const [{ v }] = await t.db.query(`SELECT max(version) AS v FROM scoring_scheme`);
    const rows = (await currentRows()).map(({ code, name, family, method, weight }) => ({ code, name, family, method, weight }));
    rows[0].weight = (Number(rows[0].weight) + 1).toFixed(2);
    const res = await admin.postForm('/scoring/schemes', form(rows, 'bad')).set('Accept', 'application/json');
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/100/);
    const [{ v: after }] = await t.db.query(`SELECT max(version) AS v FROM scoring_scheme`);
    expect(after).toBe(v);
  });

  it('is for admins only', async () => {
    const manager = await t.loginAs('channel_manager');
    expect((await manager.postForm('/scoring/schemes', { note: 'x' }).set('Accept', 'application/json')).status).toBe(403);
  });
});
