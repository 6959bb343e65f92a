import { DEMO_PASSWORD, runDemoSeed } from '../../src/core/cli/demo-seed.runner';
import { createTestApp, Session, TestApp } from '../support/test-app';

/**
 * Object-level access: partner A's user asks for partner B's objects by id in the URL, in query strings and in JSON
 * bodies. Every answer must be a refusal (404/403) whose body holds none of B's data, and nothing may change.
 * The data is the demo data set, written through the modules' own services.
 */
describe('object access: partner A never reaches partner B data', () => {
  let t: TestApp;
  let a: Session;
  let A: { id: number; code: string };
  let B: { id: number; code: string; name: string; bank_account_no: string; bank_account_name: string };
  const ids = {} as {
    customer: number; customerCode: string; customerName: string; record: number; sheet: number; period: string;
    line: number; violation: number; handoverItem: number; exitingPartner: number;
  };
  /** strings that must never appear in an answer to A */
  let secrets: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await runDemoSeed(t.app, { ifEmpty: false, print: false });
    // B: an active partner with a violation; A: another active partner with a login
    const partners: { id: number; code: string; username: string; viol: number }[] = await t.db.query(`
      SELECT p.id, p.code, min(u.username) AS username, (SELECT count(*)::int FROM violation v WHERE v.partner_id = p.id) AS viol
        FROM partner p JOIN user_account u ON u.partner_id = p.id AND u.role = 'partner'
       WHERE p.status = 'active' GROUP BY p.id ORDER BY p.id`);
    const bRow = partners.find((p) => p.viol > 0)!;
    const aRow = partners.find((p) => p.id !== bRow.id)!;
    A = { id: aRow.id, code: aRow.code };
    [B] = await t.db.query(`SELECT id, code, name, bank_account_no, bank_account_name FROM partner WHERE id = $1`, [bRow.id]);
    a = await t.login(aRow.username, DEMO_PASSWORD);

    const [cust] = await t.db.query(`
      SELECT c.id, c.code, c.name FROM customer c JOIN customer_assignment ca ON ca.customer_id = c.id AND ca.valid_to IS NULL
       WHERE ca.partner_id = $1 AND NOT EXISTS (SELECT 1 FROM customer_assignment x WHERE x.customer_id = c.id AND x.partner_id = $2)
       ORDER BY c.id LIMIT 1`, [B.id, A.id]);
    Object.assign(ids, { customer: cust.id, customerCode: cust.code, customerName: cust.name });
    ids.record = Number((await t.db.query(`SELECT id FROM service_record WHERE partner_id = $1 ORDER BY id LIMIT 1`, [B.id]))[0].id);
    const [sheet] = await t.db.query(`SELECT id, period FROM score_sheet WHERE partner_id = $1 AND status = 'confirmed' ORDER BY period DESC LIMIT 1`, [B.id]);
    Object.assign(ids, { sheet: sheet.id, period: sheet.period });
    const [line] = await t.db.query(`SELECT l.id, b.period FROM settlement_line l JOIN settlement_batch b ON b.id = l.batch_id WHERE l.partner_id = $1 ORDER BY b.period DESC LIMIT 1`, [B.id]);
    ids.line = Number(line.id);
    ids.violation = (await t.db.query(`SELECT id FROM violation WHERE partner_id = $1 ORDER BY id LIMIT 1`, [B.id]))[0].id;
    const [item] = await t.db.query(`SELECT hi.id, ep.partner_id FROM handover_item hi JOIN handover h ON h.id = hi.handover_id
      JOIN exit_proposal ep ON ep.id = h.proposal_id WHERE ep.partner_id <> $1 AND (hi.receiving_partner_id IS NULL OR hi.receiving_partner_id <> $1) ORDER BY hi.id LIMIT 1`, [A.id]);
    Object.assign(ids, { handoverItem: item?.id, exitingPartner: item?.partner_id });

    secrets = [B.name, B.code, B.bank_account_no, B.bank_account_name, ids.customerName, ids.customerCode];
  }, 180_000);
  afterAll(() => t?.close());

  it('has partner B data to protect (the fixture is real)', () => {
    for (const [k, v] of Object.entries(ids)) expect([k, v]).toEqual([k, expect.anything()]);
    expect(B.bank_account_no).toMatch(/^\d{8,}/);
    expect(A.id).not.toBe(B.id);
  });

  /** A refusal: 403/404 and none of B's data in the body; returns what is wrong (empty when refused properly). */
  const refusalProblems = (what: string, res: { status: number; text: string }): string[] => {
    const leaked = secrets.filter((s) => s && res.text.includes(s));
    const out: string[] = [];
    if (![403, 404].includes(res.status)) out.push(`${what}: status ${res.status} (want 403/404) ${res.text.slice(0, 200)}`);
    if (leaked.length) out.push(`${what}: leaks ${leaked.join(', ')}`);
    return out;
  };
  const getJson = (url: string) => a.agent.get(url).set('Accept', 'application/json');
  const getPage = (url: string) => a.agent.get(url).set('Accept', 'text/html');
  const postJson = (url: string, body: object) => a.agent.post(url).set('Accept', 'application/json').set('x-csrf-token', a.csrf).send(body);

  it('by id in the URL: JSON API', async () => {
    const urls = [
      `/api/partners/${B.id}`, `/api/partners/${B.id}/history`,
      `/api/customers/${ids.customer}`, `/api/records/${ids.record}`,
      `/api/scoring/sheets/${ids.sheet}`, `/api/settlement/statements/${B.id}/${ids.period}`,
      `/api/violations/${ids.violation}`,
    ];
    const problems: string[] = [];
    for (const u of urls) problems.push(...refusalProblems(u, await getJson(u)));
    expect(problems).toEqual([]);
  });

  it('by id in the URL: pages and CSV downloads', async () => {
    const urls = [
      `/partners/${B.id}`, `/partners/${B.id}/certificate`, `/customers/${ids.customer}`,
      `/my/scores/${ids.sheet}`, `/scoring/sheets/${ids.sheet}`, `/my/violations/${ids.violation}`, `/violations/${ids.violation}`,
      `/settlement/statements/${B.id}/${ids.period}`, `/settlement/statements/${B.id}/${ids.period}/csv`,
    ];
    const problems: string[] = [];
    for (const u of urls) problems.push(...refusalProblems(u, await getPage(u)));
    expect(problems).toEqual([]);
  });

  it('documents: B\'s files and the documents pages of B\'s records answer 404', async () => {
    const [doc] = await t.db.query(`INSERT INTO document (owner_kind, owner_id, partner_id, kind, original_name, size_bytes, mime_type, sha256)
      VALUES ('service_record', $1, $2, 'record_evidence', 'B-走访单-secret.png', 10, 'image/png', repeat('a', 64)) RETURNING id`, [ids.record, B.id]);
    const urls = [
      `/documents/${doc.id}`, `/documents/${doc.id}/thumbnail`, `/documents/on/service_record/${ids.record}`, `/documents/on/violation/${ids.violation}`,
      `/documents/on/settlement_line/${ids.line}`, `/documents/on/handover_item/${ids.handoverItem}`,
    ];
    const problems: string[] = [];
    for (const u of urls) {
      const res = await getPage(u);
      problems.push(...refusalProblems(u, res));
      if (res.status !== 404) problems.push(`${u}: ${res.status} (want 404)`);
      if (res.text.includes('B-走访单-secret.png')) problems.push(`${u}: leaks the file name`);
    }
    const del = await a.agent.post(`/documents/${doc.id}/delete`).set('x-csrf-token', a.csrf).set('Accept', 'application/json');
    problems.push(...refusalProblems('delete', del));
    expect(problems).toEqual([]);
    expect((await t.db.query(`SELECT deleted_at FROM document WHERE id = $1`, [doc.id]))[0].deleted_at).toBeNull();
  });

  it('in query strings: partnerId and customerId of B are ignored or refused, never answered with B data', async () => {
    const urls = [
      `/api/customers?partnerId=${B.id}`, `/api/records?partnerId=${B.id}`, `/api/duties/items?partnerId=${B.id}`,
      `/api/duties/completion?partnerId=${B.id}`, `/api/duties/overdue?partnerId=${B.id}`, `/api/violations?partnerId=${B.id}`,
      `/my/duties?partnerId=${B.id}`, `/my/customers?partnerId=${B.id}`, `/my/records?partnerId=${B.id}`,
      `/my/records/new?customerId=${ids.customer}`, `/api/partners?q=${encodeURIComponent(B.code)}`, `/partners?q=${encodeURIComponent(B.code)}`,
      `/api/customers?q=${encodeURIComponent(ids.customerCode)}`, `/my/statements/${ids.period}?partnerId=${B.id}`,
    ];
    const problems: string[] = [];
    for (const u of urls) {
      const res = await getJson(u);
      if (res.status >= 500) problems.push(`${u}: status ${res.status}`);
      const leaked = secrets.filter((s) => res.text.includes(s));
      if (leaked.length) problems.push(`${u}: leaks ${leaked.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('in JSON bodies: a record for B customer, an inquiry on B line, a dispute or acceptance of B sheet, a reply to B violation', async () => {
    const before = await snapshot();
    const attempts: [string, () => Promise<{ status: number; text: string }>][] = [
      ['record for B customer (API)', () => postJson('/api/records', { customerId: ids.customer, recordType: 'visit', occurredAt: '2026-11-20T09:30', description: 'x' })],
      ['record for B customer (form)', () => postJson('/my/records', { customerId: ids.customer, recordType: 'visit', occurredAt: '2026-11-20T09:30', description: 'x' })],
      ['inquiry on B line (API)', () => postJson('/api/settlement/inquiries', { lineId: ids.line, amount: '1.00', reason: 'mine?' })],
      ['inquiry on B line (form)', () => postJson(`/my/statements/${ids.period}/inquiries`, { lineId: String(ids.line), amount: '1.00', reason: 'mine?' })],
      ['dispute B sheet (API)', () => postJson(`/api/scoring/sheets/${ids.sheet}/dispute`, { reason: 'not fair' })],
      ['dispute B sheet (form)', () => postJson(`/my/scores/${ids.sheet}/dispute`, { reason: 'not fair' })],
      ['accept B sheet (API)', () => postJson(`/api/scoring/sheets/${ids.sheet}/accept`, {})],
      ['accept B sheet (form)', () => postJson(`/my/scores/${ids.sheet}/accept`, {})],
      ['respond to B violation (API)', () => postJson(`/api/violations/${ids.violation}/respond`, { response: 'not us' })],
      ['respond to B violation (form)', () => postJson(`/my/violations/${ids.violation}/respond`, { response: 'not us' })],
      ['handover checklist of another partner (API)', () => postJson(`/api/exits/handover-items/${ids.handoverItem}/checklist`, { documentsTransferred: true })],
      ['handover transferred of another partner (form)', () => postJson(`/my/exit/items/${ids.handoverItem}/transferred`, { documentsTransferred: 'on' })],
      ['handover acknowledge of another partner (form)', () => postJson(`/my/exit/items/${ids.handoverItem}/acknowledge`, {})],
    ];
    const problems: string[] = [];
    for (const [what, call] of attempts) problems.push(...refusalProblems(what, await call()));
    expect(problems).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('A own statement, scores and partner page hold none of B data', async () => {
    for (const u of [`/partners/${A.id}`, `/my/statements/${ids.period}`, `/my/statements/${ids.period}/csv`, '/my/scores', '/my/violations', '/my/customers', '/my/records', `/api/customers`, `/api/records`, '/api/violations']) {
      const res = await getPage(u);
      expect({ u, status: res.status }).toEqual({ u, status: 200 });
      expect({ u, leaked: secrets.filter((s) => res.text.includes(s)) }).toEqual({ u, leaked: [] });
    }
  });

  it('control: the same requests by an admin do return B data (so the leak check can see a leak)', async () => {
    const admin = await t.loginAs('admin');
    const partner = await admin.getJson(`/api/partners/${B.id}`).expect(200);
    expect(partner.text).toContain(B.name);
    expect((await admin.getJson(`/api/customers/${ids.customer}`).expect(200)).text).toContain(ids.customerName);
    expect((await admin.get(`/settlement/statements/${B.id}/${ids.period}`).expect(200)).text).toContain(B.code);
  });

  /** Everything A's attempts could have changed. */
  async function snapshot() {
    const one = async (sql: string, p: unknown[] = []) => JSON.stringify(await t.db.query(sql, p));
    return {
      records: await one(`SELECT count(*) FROM service_record WHERE customer_id = $1`, [ids.customer]),
      inquiries: await one(`SELECT count(*) FROM settlement_inquiry`),
      sheet: await one(`SELECT status, version FROM score_sheet WHERE id = $1`, [ids.sheet]),
      disputes: await one(`SELECT count(*) FROM score_dispute`),
      violation: await one(`SELECT partner_response, responded_at FROM violation WHERE id = $1`, [ids.violation]),
      handover: await one(`SELECT documents_transferred, receiver_acknowledged, updated_at FROM handover_item WHERE id = $1`, [ids.handoverItem]),
      audit: await one(`SELECT count(*) FROM audit_log`),
    };
  }
});
