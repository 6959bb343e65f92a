import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { Actor } from '../../core/auth/actor';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { AccrualImportService } from './accrual-import.service';
import { SettlementBatchService } from './settlement-batch.service';
import { SettlementRunService } from './settlement-run.service';
import { SettlementService } from './settlement.service';
import { StatementService } from './statement.service';
import { ScoringService } from '../scoring/scoring.service';

const PRODUCTS = ['互联网专线', '云桌面', '物联网卡', '集团宽带', '视频监控'];

/**
 * Demo settlement (after scoring's seeder, order 50, confirmed 2026Q2 and 2026Q3): accruals for both quarters,
 * 2026Q2 batch paid, 2026Q3 batch approved and exported, a few adjustments and one open inquiry.
 */
@Injectable()
@DemoSeed(60)
export class SettlementDemoSeed implements DemoSeeder {
  constructor(
    private readonly imports: AccrualImportService,
    private readonly runs: SettlementRunService,
    private readonly batches: SettlementBatchService,
    private readonly settlement: SettlementService,
    private readonly statements: StatementService,
    private readonly scoring: ScoringService,
  ) {}

  /** P = 1 with a recorded reason only for partners that have no confirmed sheet for the period. */
  private async overridesFor(period: string, partners: { id: number }[], m: DemoSeedContext['manager']): Promise<Record<number, string>> {
    const sheets = await this.scoring.getConfirmedSheets(period, m);
    return Object.fromEntries(partners.filter((p) => !sheets.has(p.id)).map((p) => [p.id, '该合作伙伴本季度无已确认的考核评分表，按 P = 1 结算']));
  }

  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const partners: { id: number; code: string }[] = await m.query(
      `SELECT p.id, p.code FROM partner p WHERE p.status IN ('active','suspended','exiting')
          AND EXISTS (SELECT 1 FROM partner_status_history h WHERE h.partner_id = p.id AND h.to_status = 'active' AND h.effective_on <= '2026-04-01')
        ORDER BY p.id`);
    if (!partners.length) { ctx.log('settlement: 2026Q2 起没有合作中的合作伙伴，未生成结算演示数据'); return; }
    const byPartner = (ctx.bag.customersByPartner ?? {}) as Record<number, number[]>;
    const codes = new Map<number, string>((await m.query(`SELECT id, code FROM customer`).catch(() => [])).map((c: { id: number; code: string }) => [c.id, c.code]));
    const finance: Actor = { id: (ctx.bag['user:finance'] as number) ?? 0, username: 'finance', displayName: '范丽（财务）', role: 'finance', partnerId: null };
    // four eyes: the checker approves what the maker computed
    const checker: Actor = { id: (ctx.bag['user:finance2'] as number) ?? 0, username: 'finance2', displayName: '钱进（财务复核）', role: 'finance', partnerId: null };
    const admin: Actor = { id: (ctx.bag['user:admin'] as number) ?? 0, username: 'admin', displayName: '赵敏', role: 'admin', partnerId: null };
    // above BATCH_DUAL_APPROVAL_ABOVE a batch needs a second approver: the admin signs second
    const approve = async (id: number, comment: string) => {
      const b = await this.batches.approve(checker, id, comment, undefined, m, await flaggedIds(id));
      if (b.status === 'draft') await this.batches.approve(admin, id, comment, undefined, m);
    };
    const flaggedIds = async (id: number) => (await m.query(`SELECT id::text FROM settlement_line WHERE batch_id = $1 AND cardinality(review_flags) > 0`, [id])).map((r: { id: string }) => r.id);

    for (const [period, start] of [['2026Q2', '2026-04'], ['2026Q3', '2026-07']] as const) {
      let csv = 'partner_code,customer_code,product,accrual_date,amount,reference\n';
      partners.forEach((p, i) => {
        const customers = (byPartner[p.id] ?? []).map((id) => codes.get(id)).filter(Boolean) as string[];
        const list = customers.length ? customers.slice(0, 4) : [`EXT-${p.code}-1`, `EXT-${p.code}-2`];
        list.forEach((c, j) => {
          for (let k = 0; k < 3; k++) {
            const amount = (1200 + ((i * 977 + j * 313 + k * 101) % 4800) + ((i + j + k) % 100) / 100).toFixed(2);
            csv += `${p.code},${c},${PRODUCTS[(i + j + k) % PRODUCTS.length]},${start}-${String(10 + k * 7).padStart(2, '0')},${amount},BILL-${period}-${p.code}-${j}-${k}\n`;
          }
        });
      });
      await this.imports.importStream(finance, period, Readable.from([csv]), { fileName: `billing-${period}.csv`, manager: m });
    }
    // a deduction and a clawback, applied in the 2026Q2 batch
    await this.settlement.addAdjustment(finance, { partnerId: partners[0].id, amount: '-300.00', kind: 'manual', reason: '一季度服务报告逾期提交，双方确认扣款', reference: 'DEMO-ADJ-1' }, m);
    if (partners[1]) await this.settlement.addAdjustment(finance, { partnerId: partners[1].id, amount: '-150.00', kind: 'clawback', reason: '冲回 2026Q1 应计酬金 BILL-2026Q1-77（客户退订）', reference: 'DEMO-ADJ-2' }, m);

    const q2 = await this.runs.run(finance, '2026Q2', { overrides: await this.overridesFor('2026Q2', partners, m) }, m);
    await approve(q2.batchId, '已与计费系统合计核对一致');
    await this.batches.export(finance, q2.batchId, m);
    // invoices (#16): the demo's 2026Q2 invoices were received on paper before the portal took them (reason per line)
    await m.query(`UPDATE settlement_line SET pay_without_invoice_reason = '演示数据：2026Q2 发票已线下收取并核对', pay_without_invoice_at = now() WHERE batch_id = $1`, [q2.batchId]);
    await this.batches.markPaid(finance, q2.batchId, '银行转账，付款凭证号 DEMO-PAY-2026Q2', m);

    if (partners[2]) await this.settlement.addAdjustment(finance, { partnerId: partners[2].id, amount: '-500.00', kind: 'manual', reason: '客户投诉处理超时，按协议扣款', reference: 'DEMO-ADJ-3' }, m);
    const q3 = await this.runs.run(finance, '2026Q3', { overrides: await this.overridesFor('2026Q3', partners, m) }, m);
    const [line] = await m.query(`SELECT l.id, l.partner_id FROM settlement_line l WHERE l.batch_id = $1 ORDER BY l.partner_id LIMIT 1`, [q3.batchId]);
    const partnerUser = ctx.bag[`partnerUser:${line.partner_id}`] as number | undefined;
    await m.query(`INSERT INTO settlement_inquiry (batch_id, line_id, partner_id, amount, reason, raised_by) VALUES ($1, $2, $3, '120.00', '7 月份该客户的云桌面应计酬金缺失', $4)`,
      [q3.batchId, line.id, line.partner_id, partnerUser ?? null]);
    await approve(q3.batchId, '审批通过；一条询问待答复，下季度处理');
    await this.batches.export(finance, q3.batchId, m);
    ctx.bag.settlementBatchIds = { '2026Q2': q2.batchId, '2026Q3': q3.batchId };
    ctx.log(`settlement: 结算批次 #${q2.batchId}（2026Q2，已付款）和 #${q3.batchId}（2026Q3，已导出）`);
  }
}
