import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { PAYOUT_COLUMNS, SettlementBatchService } from '../../src/modules/settlement/settlement-batch.service';
import { SettlementRunService } from '../../src/modules/settlement/settlement-run.service';
import { createTestApp, Session, TestApp } from '../support/test-app';
import { fakeScores, importCsv, lines, checker } from '../settlement/helpers';

const binary = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function readBack(buf: Buffer): Promise<{ sheets: string[]; rows: unknown[][]; control: unknown[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const values = (ws: ExcelJS.Worksheet) => { const out: unknown[][] = []; ws.eachRow((r) => out.push((r.values as unknown[]).slice(1))); return out; };
  return { sheets: wb.worksheets.map((w) => w.name), rows: values(wb.worksheets[0]), control: values(wb.worksheets[1]) };
}

/** The payout file as .xlsx (#16): the CSV's columns and control totals, again after export, full accounts for finance only. */
describe('money controls: the payout file as .xlsx', () => {
  let t: TestApp;
  let batchId: number;
  let partnerId: number;
  let finance: Session;
  const xlsx = (s: Session) => s.agent.get(`/settlement/batches/${batchId}/payout.xlsx`).buffer(true).parse(binary as never);

  beforeAll(async () => {
    t = await createTestApp();
    const a = await t.createPartner({ code: 'X-PAY-A', bankName: '中国工商银行贵阳分行', bankAccountName: '贵州黔灵通信有限公司', bankAccountNo: '0622202020011223' });
    const b = await t.createPartner({ code: 'X-PAY-B', bankAccountNo: '6222020200998877' });
    partnerId = a.id;
    fakeScores(t, { '2026Q3': { [a.id]: '95', [b.id]: '72.5' } });
    await importCsv(t, '2026Q3', lines(a.code, ['100.00', '0.05'], '2026-08-10') + lines(b.code, ['3333.33', '1.11', '0.01'], '2026-08-12'));
    batchId = (await t.get(SettlementRunService).run(SYSTEM_ACTOR, '2026Q3')).batchId;
    await t.get(SettlementBatchService).approve(await checker(t), batchId, 'ok');
    finance = await t.loginAs('finance');
  });
  afterAll(() => t?.close());

  it('only after export, then as often as asked: same columns, same lines and same control totals as the CSV', async () => {
    expect((await xlsx(finance)).status).not.toBe(200);
    const exported = await finance.agent.post(`/settlement/batches/${batchId}/export`).type('form').send({ _csrf: finance.csrf }).buffer(true);
    expect(exported.status).toBe(201);
    const control = (await finance.agent.get(`/settlement/batches/${batchId}/control.csv`).buffer(true)).text.replace(/^\uFEFF/, '').trim().split('\n')[1].split(',');
    for (let i = 0; i < 2; i++) {
      const res = await xlsx(finance);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain(`payout-2026Q3-batch-${batchId}.xlsx`);
      const { sheets, rows, control: c } = await readBack(res.body);
      expect(sheets).toHaveLength(2);
      expect(rows[0]).toEqual([...PAYOUT_COLUMNS]);
      const csvLines = exported.text.replace(/^\uFEFF/, '').trim().split('\n').slice(1).map((l) => l.split(','));
      expect(rows.length - 1).toBe(csvLines.length);
      // each line as the CSV has it (numbers compared as decimals)
      rows.slice(1).forEach((r, i) => r.forEach((v, j) => {
        const csv = csvLines[i][j];
        if (typeof v === 'number') expect(v.toFixed(j === 7 ? 6 : 2)).toBe(Number(csv).toFixed(j === 7 ? 6 : 2));
        else expect(String(v ?? '')).toBe(csv);
      }));
      expect(rows[1].slice(0, 5)).toEqual(['X-PAY-A', expect.any(String), '中国工商银行贵阳分行', '贵州黔灵通信有限公司', '0622202020011223']); // leading zero kept
      const sum = rows.slice(1).reduce<number>((acc, r) => acc + Math.round(Number(r[11]) * 100), 0) / 100;
      expect(c[0]).toEqual(['batch_id', 'period', 'line_count', 'sum_total_pay']);
      expect(c[1]).toEqual([batchId, '2026Q3', Number(control[2]), Number(control[3])]);
      expect(sum.toFixed(2)).toBe(control[3]);
      expect(Number(control[2])).toBe(2);
    }
  });

  it('masks the account for an admin (the masking rule), refuses channel managers and partners', async () => {
    const admin = await t.loginAs('admin');
    const res = await xlsx(admin);
    expect(res.status).toBe(200);
    const { rows } = await readBack(res.body);
    expect(rows[1][4]).toBe('************1223');
    expect(JSON.stringify(rows)).not.toContain('0622202020011223');
    expect((await xlsx(await t.loginAs('channel_manager'))).status).toBe(403);
    expect((await xlsx(await t.loginAs('partner', { partnerId }))).status).toBe(403);
  });
});
