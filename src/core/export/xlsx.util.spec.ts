import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { contentDisposition, writeXlsx } from './xlsx.util';

describe('xlsx export', () => {
  it('writes the header block, Chinese headers and typed cells', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c) => chunks.push(c));
    await writeXlsx(out, {
      title: '合作伙伴', filters: [['状态', '合作中']], exportedAtLabel: '导出时间',
      columns: [{ header: '编码', key: 'code' }, { header: '应计酬金', key: 'accrued', kind: 'money' }, { header: '备注', key: 'note' }, { header: 'P', key: 'p', kind: 'coefficient' }],
      rows: [{ code: 'P-1', accrued: '1234.50', note: '=HYPERLINK("x")', p: '0.983333' }, { code: 'P-2', accrued: '7.00', note: '', p: null }],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as never);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('合作伙伴');
    expect(ws.getRow(1).getCell(1).value).toBe('合作伙伴');
    expect(ws.getRow(2).values).toEqual([undefined, '状态', '合作中']);
    expect(ws.getRow(3).getCell(1).value).toBe('导出时间');
    expect(ws.getRow(5).values).toEqual([undefined, '编码', '应计酬金', '备注', 'P']);
    expect(ws.getRow(6).getCell(2).value).toBe(1234.5);
    expect(ws.getRow(6).getCell(2).numFmt).toBe('#,##0.00');
    expect(ws.getRow(6).getCell(3).value).toBe(`'=HYPERLINK("x")`);
    // data cells share one style per column (#18): each column keeps its own format, the header stays bold alone
    expect([6, 7].map((r) => [2, 4].map((c) => ws.getRow(r).getCell(c).numFmt))).toEqual([['#,##0.00', '0.000000'], ['#,##0.00', '0.000000']]);
    expect(ws.getRow(7).getCell(2).value).toBe(7);
    expect(ws.getRow(6).getCell(1).numFmt).toBeUndefined();
    expect(ws.getRow(5).getCell(2).font?.bold).toBe(true);
    expect(ws.getRow(6).getCell(2).font?.bold).toBeFalsy();
  });
  it('keeps Chinese file names (RFC 5987)', () => {
    expect(contentDisposition('合作伙伴.xlsx')).toBe(`attachment; filename="____.xlsx"; filename*=UTF-8''%E5%90%88%E4%BD%9C%E4%BC%99%E4%BC%B4.xlsx`);
  });
});
