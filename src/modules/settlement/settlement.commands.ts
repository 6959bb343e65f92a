import { Injectable } from '@nestjs/common';
import { createReadStream, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { PartnersService } from '../partners/partners.service';
import { AccrualImportService } from './accrual-import.service';
import { parseOverrides } from './overrides.util';
import { SettlementBatchService } from './settlement-batch.service';
import { SettlementRunService } from './settlement-run.service';
import { SettlementService } from './settlement.service';
import { readFileSync } from 'node:fs';

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: 'import accrual lines (partner_code,customer_code,product,accrual_date,amount,reference) for a period; all or nothing' })
export class AccrualsImportCommand extends CommandRunner {
  constructor(private readonly imports: AccrualImportService) { super(); }
  async run([file]: string[], opts: { period: string }): Promise<void> {
    const r = await this.imports.importStream(SYSTEM_ACTOR, opts.period, createReadStream(file), {
      fileName: basename(file), onProgress: (n) => console.log(`  ${n.toLocaleString('en')} lines read`),
    });
    console.log(`Imported ${r.lineCount} accrual line(s) for ${r.period} (Σ ${r.total}) as import #${r.importId} in ${r.seconds.toFixed(1)} s.`);
  }
  @Option({ flags: '--period <period>', required: true, description: 'quarter, e.g. 2026Q3' }) parsePeriod(v: string) { return v; }
}

@Injectable()
@Command({ name: 'accruals', description: 'accrual lines from the billing system', subCommands: [AccrualsImportCommand] })
export class AccrualsCommand extends CommandRunner {
  async run(): Promise<void> { this.command.help(); }
}

@Injectable()
@SubCommand({ name: 'run', description: "create or recompute the period's draft batch" })
export class SettlementRunCommand extends CommandRunner {
  constructor(private readonly runs: SettlementRunService, private readonly partners: PartnersService) { super(); }
  async run(_: string[], opts: { period: string; supplementary?: boolean; override?: string[] }): Promise<void> {
    const codes = parseOverrides((opts.override ?? []).join('\n'));
    const found = await this.partners.findByCodes(Object.keys(codes));
    const missing = Object.keys(codes).filter((c) => !found.has(c));
    if (missing.length) throw new Error(`unknown partner code(s) in --override: ${missing.join(', ')}`);
    const r = await this.runs.run(SYSTEM_ACTOR, opts.period, { supplementary: !!opts.supplementary, overrides: Object.fromEntries(Object.entries(codes).map(([c, why]) => [found.get(c)!.id, why])) });
    console.log(`Batch #${r.batchId} ${r.created ? 'created' : 'recomputed'}: ${r.lineCount} line(s), total pay ${r.totalPay}, ${r.seconds.toFixed(2)} s.`);
  }
  @Option({ flags: '--period <period>', required: true }) parsePeriod(v: string) { return v; }
  @Option({ flags: '--supplementary', description: 'settle accruals imported after the regular batch was approved' }) parseSupp() { return true; }
  @Option({ flags: '--override <code:reason>', description: 'settle a partner without a confirmed sheet at P = 1 (repeatable)' })
  parseOverride(v: string, prev: string[] = []) { return [...prev, v]; }
}

@Injectable()
@SubCommand({ name: 'export', description: 'write the payout CSV of an approved batch and FILE.control.csv' })
export class SettlementExportCommand extends CommandRunner {
  constructor(private readonly batches: SettlementBatchService) { super(); }
  async run(_: string[], opts: { batch: number; out: string }): Promise<void> {
    const r = await this.batches.export(SYSTEM_ACTOR, opts.batch);
    writeFileSync(opts.out, r.csv);
    writeFileSync(`${opts.out}.control.csv`, r.control);
    console.log(`Wrote ${opts.out} and ${opts.out}.control.csv`);
  }
  @Option({ flags: '--batch <id>', required: true }) parseBatch(v: string) { return Number(v); }
  @Option({ flags: '--out <file>', required: true }) parseOut(v: string) { return v; }
}

@Injectable()
@SubCommand({ name: 'payments', arguments: '<file>', description: 'import a payment confirmation (batch_id,partner_code,paid_amount,paid_on) and mark the batch paid' })
export class SettlementPaymentsCommand extends CommandRunner {
  constructor(private readonly batches: SettlementBatchService) { super(); }
  async run([file]: string[]): Promise<void> {
    const r = await this.batches.importPaymentConfirmation(SYSTEM_ACTOR, readFileSync(file));
    console.log(`Matched ${r.lines} payment line(s); paid batch(es): ${r.batchIds.join(', ')}`);
  }
}

@Injectable()
@Command({ name: 'settlement', description: 'settlement batches', subCommands: [SettlementRunCommand, SettlementExportCommand, SettlementPaymentsCommand] })
export class SettlementCommand extends CommandRunner {
  async run(): Promise<void> { this.command.help(); }
}

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: 'import deductions/adjustments (partner_code,amount,kind,reason,reference)' })
export class AdjustmentsImportCommand extends CommandRunner {
  constructor(private readonly settlement: SettlementService) { super(); }
  async run([file]: string[]): Promise<void> {
    console.log(`Imported ${await this.settlement.importAdjustments(SYSTEM_ACTOR, readFileSync(file))} adjustment line(s).`);
  }
}

@Injectable()
@Command({ name: 'adjustments', description: 'settlement deductions and adjustments', subCommands: [AdjustmentsImportCommand] })
export class AdjustmentsCommand extends CommandRunner {
  async run(): Promise<void> { this.command.help(); }
}

export const SETTLEMENT_COMMANDS = [AccrualsCommand, AccrualsImportCommand, SettlementCommand, SettlementRunCommand, SettlementExportCommand, SettlementPaymentsCommand, AdjustmentsCommand, AdjustmentsImportCommand];
