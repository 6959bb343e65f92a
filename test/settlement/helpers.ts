import { Readable } from 'node:stream';
import { Actor, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { AccrualImportService } from '../../src/modules/settlement/accrual-import.service';
import { SettlementCollaborators, SheetRef } from '../../src/modules/settlement/collaborators';
import { TestApp } from '../support/test-app';

export const HEADER = 'partner_code,customer_code,product,accrual_date,amount,reference\n';

/** Test double for scoring's confirmed sheets: period -> partnerId -> Y. */
export function fakeScores(t: TestApp, scores: Record<string, Record<number, string>>, revision = 1): void {
  const c = t.get(SettlementCollaborators);
  c.confirmedSheets = async (period: string) => new Map(Object.entries(scores[period] ?? {}).map(([id, y]) => [Number(id), { sheetId: 1000 + Number(id), revision, scoreY: y, confirmedAt: new Date() } as SheetRef]));
  c.penaltyAdjustments = async () => [];
}

export function importCsv(t: TestApp, period: string, body: string, fileName = 'test.csv') {
  return t.get(AccrualImportService).importStream(SYSTEM_ACTOR, period, Readable.from([HEADER + body]), { fileName });
}

export const FINANCE = { ...SYSTEM_ACTOR, id: 0, username: 'finance-test', role: 'finance' as const };

let refCounter = 0;
export function lines(code: string, amounts: string[], date = '2026-07-15', customer = 'CUST-1', product = 'Dedicated line'): string {
  return amounts.map((a) => `${code},${customer},${product},${date},${a},REF-${code}-${++refCounter}-${Math.random().toString(36).slice(2, 8)}\n`).join('');
}

/** The invoice gate (#16) for tests about other rules: every line of the batch may be paid without an invoice, with a reason. */
export async function payWithoutInvoices(t: TestApp, batchId: number): Promise<void> {
  await t.db.query(`UPDATE settlement_line SET pay_without_invoice_reason = 'test: invoices are not this test''s subject', pay_without_invoice_at = now() WHERE batch_id = $1`, [batchId]);
}

const checkers = new WeakMap<TestApp, Promise<Actor>>();
/** A named finance user who approves batches in tests: the system actor may not approve (#16). One per app. */
export function checker(t: TestApp): Promise<Actor> {
  let actor = checkers.get(t);
  if (!actor) {
    actor = t.createUser('finance').then((u) => ({ ...SYSTEM_ACTOR, id: u.id, username: u.username, role: 'finance' as const }));
    checkers.set(t, actor);
  }
  return actor;
}
