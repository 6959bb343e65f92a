import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { LANGUAGES, t as tr } from '../../src/core/i18n/i18n';
import { SettlementService } from '../../src/modules/settlement/settlement.service';
import { SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { renderStatementPdf, StatementFontMissing } from '../../src/modules/settlement/statement-pdf';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines, checker } from '../settlement/helpers';

/** superagent: keep a binary answer as a Buffer */
const binary = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Statement PDFs (对账单) with a verification code, and the code's lookup by finance (#16). */
describe('money controls: statement PDF with a verification code', () => {
  let t: TestApp;
  let a: { id: number; code: string; name: string };
  let b: { id: number; code: string; name: string };
  let batchId: number;
  let partnerA: Session;
  let finance: Session;

  const issue = (s: Session, url: string, accept = 'application/pdf') => s.agent.post(url).set('Accept', accept).type('form').send({ _csrf: s.csrf }).buffer(true).parse(binary as never);
  const verify = async (code: string) => {
    const res = await finance.get(`/settlement/verify?code=${encodeURIComponent(code)}`);
    expect(res.status).toBe(200);
    return { state: /data-testid="verify-state" data-state="(\w+)"/.exec(res.text)?.[1], text: res.text };
  };

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.createPartner();
    b = await t.createPartner();
    fakeScores(t, { '2026Q3': { [a.id]: '81' } });
    await importCsv(t, '2026Q3', lines(a.code, ['1000.00', '234.56'], '2026-08-10'));
    batchId = (await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3')).batchId;
    partnerA = await t.loginAs('partner', { partnerId: a.id });
    finance = await t.loginAs('finance');
  });
  afterAll(() => t?.close());

  it('a partner downloads its own statement as a PDF carrying a stored verification code', async () => {
    const res = await issue(partnerA, '/my/statements/2026Q3/pdf');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const code = res.headers['x-verification-code'];
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(pdf.includes(Buffer.from(code))).toBe(true); // in the document's keywords (the page text is CJK glyphs)
    expect(pdf.length).toBeGreaterThan(5_000); // the embedded font subset
    expect(res.headers['content-disposition']).toContain(`-${a.code}-2026Q3.pdf`);
    const [row] = await t.db.query(`SELECT partner_id, period, total_pay::text, figures->>'total' AS total, length(figures_hash) AS n FROM statement_verification WHERE code = $1`, [code]);
    // Y 81 → P = 0.9: 1234.56 × 0.9 + 1234.56 × 0.1 × 0.9 = 1222.21 (half away from zero)
    expect(row).toEqual({ partner_id: a.id, period: '2026Q3', total_pay: '1222.21', total: '1222.21', n: 64 });
    const [audit] = await t.db.query(`SELECT entity_type FROM audit_log WHERE action = 'settlement.statement.pdf' AND partner_id = $1`, [a.id]);
    expect(audit).toEqual({ entity_type: 'statement_verification' });
    // each issue gets its own code
    const again = await issue(partnerA, '/my/statements/2026Q3/pdf');
    expect(again.headers['x-verification-code']).not.toBe(code);
  });

  it('finance looks a code up: partner, period, total, and "matches" while the figures hold; "changed" after they move', async () => {
    const res = await issue(finance, `/settlement/statements/${a.id}/2026Q3/pdf`);
    expect(res.status).toBe(200);
    const code: string = res.headers['x-verification-code'];
    const found = await verify(code.toLowerCase().replace(/-/g, ' ')); // typed loosely off paper
    expect(found.state).toBe('match');
    expect(found.text).toContain(a.code);
    expect(found.text).toContain(a.name);
    expect(found.text).toContain('2026Q3');
    expect(found.text).toMatch(/data-testid="total-at-issue">¥1,222\.21</);
    // approving changes the state, not the figures: still a match
    await t.get(SettlementBatchService).approve(await checker(t), batchId, 'ok');
    expect((await verify(code)).state).toBe('match');
    // the batch is cancelled and run again with more accruals: the paper no longer tells the truth
    await t.db.query(`UPDATE settlement_batch SET status = 'draft' WHERE id = $1`, [batchId]);
    await t.get(SettlementBatchService).cancel(SYSTEM_ACTOR, batchId, 'accruals were missing');
    await importCsv(t, '2026Q3', lines(a.code, ['100.00'], '2026-09-10'));
    await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3');
    const changed = await verify(code);
    expect(changed.state).toBe('changed');
    expect(changed.text).toMatch(/data-testid="total-at-issue">¥1,222\.21</);
    expect(changed.text).toMatch(/data-testid="total-now">¥1,321\.21</);
  });

  it('answers unknown and malformed codes in words, never 500', async () => {
    expect((await verify('ABCD-EFGH-JKMN')).state).toBe('notFound');
    expect((await verify('not a code')).state).toBe('invalid');
    const empty = await finance.get('/settlement/verify');
    expect(empty.status).toBe(200);
    expect(empty.text).not.toContain('data-testid="verify-state"');
  });

  it('partners: only their own statement; no lookups; another partner\'s PDF is not theirs to ask for', async () => {
    const partnerB = await t.loginAs('partner', { partnerId: b.id });
    // b has nothing in 2026Q3: no statement to vouch for (a's figures are never reachable from b's session)
    expect((await issue(partnerB, '/my/statements/2026Q3/pdf', 'application/json')).status).toBe(404);
    expect((await issue(partnerB, `/settlement/statements/${a.id}/2026Q3/pdf`)).status).toBe(403);
    expect((await partnerB.get('/settlement/verify?code=ABCD-EFGH-JKMN')).status).toBe(403);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM statement_verification WHERE partner_id = $1`, [b.id]);
    expect(n).toBe(0);
    const manager = await t.loginAs('channel_manager');
    expect((await issue(manager, `/settlement/statements/${a.id}/2026Q3/pdf`)).status).toBe(403);
  });

  it('a missing CJK font is a clear error naming the file, before anything is stored', async () => {
    const s = { partner: { id: a.id, code: a.code, name: a.name, exited: false }, period: '2026Q3', accrued: '0', total: '0', groups: [], lines: [], adjustments: [] };
    await expect(renderStatementPdf(s, { lang: 'zh-CN', operatorName: 'x', code: 'AAAA-BBBB-CCCC', issuedAt: new Date(), verifyUrl: 'http://x', font: { path: '/nonexistent/font.ttc' } }))
      .rejects.toThrow(StatementFontMissing);
    await expect(renderStatementPdf(s, { lang: 'zh-CN', operatorName: 'x', code: 'AAAA-BBBB-CCCC', issuedAt: new Date(), verifyUrl: 'http://x', font: { path: '/nonexistent/font.ttc' } }))
      .rejects.toThrow(/\/nonexistent\/font\.ttc.*fonts-noto-cjk.*STATEMENT_PDF_FONT/);
  });

  it('an exited partner\'s statement calls what is left a debt, not "carried into your next batch" (PDF and Excel)', async () => {
    const gone = await t.createPartner();
    await t.get(SettlementService).addSystemAdjustment(SYSTEM_ACTOR, { partnerId: gone.id, amount: '-1250.40', kind: 'carry_forward', reason: 'left over from the final settlement', reference: 'CARRY-GONE-PDF' });
    await t.db.query(`UPDATE partner SET status = 'exited' WHERE id = $1`, [gone.id]);
    fakeScores(t, { '2026Q4': { [a.id]: '95' } });
    await importCsv(t, '2026Q4', lines(a.code, ['10.00'], '2026-11-10'));
    await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q4');
    const pdf = await issue(finance, `/settlement/statements/${gone.id}/2026Q4/pdf`);
    expect(pdf.status).toBe(200);
    const [row] = await t.db.query(`SELECT figures->'lines'->0->>'carryForward' AS carry, total_pay::text FROM statement_verification WHERE code = $1`, [pdf.headers['x-verification-code']]);
    expect(row).toEqual({ carry: '-1250.40', total_pay: '0.00' });
    const x = await finance.agent.get(`/settlement/statements/${gone.id}/2026Q4?format=xlsx`).buffer(true).parse(binary as never);
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as never);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((r) => (r.values as unknown[]).forEach((v) => cells.push(String(v ?? ''))));
    const debt = LANGUAGES.map((l) => tr(l, 'money:statement.debtLeft'));
    expect(cells.some((c) => debt.includes(c))).toBe(true);
    for (const l of LANGUAGES) expect(cells).not.toContain(tr(l, 'settlement:statement.carried'));
    expect(cells.some((c) => c.includes('1,250.40') && !c.includes('-¥'))).toBe(true); // the note names the debt as a positive amount
    // the CSV names it too, as its own row
    const csv = (await finance.agent.get(`/settlement/statements/${gone.id}/2026Q4/csv`).expect(200)).text;
    expect(csv).toMatch(/^debt,,,,-1250\.40,$/m);
    expect(csv).not.toMatch(/^carry_forward,/m);
  });
});
