import { Injectable } from '@nestjs/common';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, SYSTEM_ACTOR } from '../../core/auth/actor';
import { UserAccount } from '../../core/auth/user-account.entity';
import { toActor } from '../../core/auth/users.service';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { PartnersService } from '../partners/partners.service';
import { AccrualImportService } from './accrual-import.service';
import { parseOverrides } from './overrides.util';
import { SettlementBatchService } from './settlement-batch.service';
import { SettlementRunService } from './settlement-run.service';
import { SettlementService } from './settlement.service';

/** Four eyes (#16): a batch run from the CLI is made by the named finance/admin user, never by nobody. */
async function operator(db: DataSource, username: string): Promise<Actor> {
  const u = await db.getRepository(UserAccount).createQueryBuilder('u').where('lower(u.username) = lower(:n)', { n: username ?? '' }).getOne();
  if (!u || !u.active || !['finance', 'admin'].includes(u.role)) throw new RuleViolation('money:cli.unknownOperator', 'as', { username });
  return toActor(u);
}

/** Operator messages in the CLI's language (zh-CN unless PORTAL_LANG=en). */
const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);
const say = (key: string, params?: Record<string, unknown>) => console.log(tr(key, params));

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: tr('settlement:cli.accrualsImportHelp') })
export class AccrualsImportCommand extends CommandRunner {
  constructor(private readonly imports: AccrualImportService) { super(); }
  async run([file]: string[], opts: { period: string }): Promise<void> {
    const r = await this.imports.importStream(SYSTEM_ACTOR, opts.period, createReadStream(file), {
      fileName: basename(file), onProgress: (n) => console.log(`  ${tr('settlement:cli.linesRead', { count: n.toLocaleString('en') })}`),
    });
    say('settlement:cli.imported', { count: r.lineCount, period: r.period, total: r.total, id: r.importId, seconds: r.seconds.toFixed(1) });
  }
  @Option({ flags: '--period <period>', required: true, description: tr('settlement:cli.periodHelp') }) parsePeriod(v: string) { return v; }
}

@Injectable()
@Command({ name: 'accruals', description: tr('settlement:cli.accrualsHelp'), subCommands: [AccrualsImportCommand] })
export class AccrualsCommand extends CommandRunner {
  async run(): Promise<void> { this.command.help(); }
}

@Injectable()
@SubCommand({ name: 'run', description: tr('settlement:cli.runHelp') })
export class SettlementRunCommand extends CommandRunner {
  constructor(private readonly runs: SettlementRunService, private readonly partners: PartnersService, @InjectDataSource() private readonly db: DataSource) { super(); }
  async run(_: string[], opts: { period: string; supplementary?: boolean; override?: string[]; as: string }): Promise<void> {
    const actor = await operator(this.db, opts.as);
    const codes = parseOverrides((opts.override ?? []).join('\n'));
    const found = await this.partners.findByCodes(Object.keys(codes));
    const missing = Object.keys(codes).filter((c) => !found.has(c));
    if (missing.length) throw new RuleViolation('settlement:errors.unknownOverrideCodes', 'overrides', { codes: missing.join(', ') });
    const r = await this.runs.run(actor, opts.period, { supplementary: !!opts.supplementary, overrides: Object.fromEntries(Object.entries(codes).map(([c, why]) => [found.get(c)!.id, why])) });
    say(r.created ? 'settlement:cli.batchCreated' : 'settlement:cli.batchRecomputed', { id: r.batchId, count: r.lineCount, total: r.totalPay, seconds: r.seconds.toFixed(2) });
  }
  @Option({ flags: '--period <period>', required: true, description: tr('settlement:cli.periodHelp') }) parsePeriod(v: string) { return v; }
  @Option({ flags: '--supplementary', description: tr('settlement:cli.supplementaryHelp') }) parseSupp() { return true; }
  @Option({ flags: '--as <username>', required: true, description: tr('money:cli.asHelp') }) parseAs(v: string) { return v; }
  @Option({ flags: '--override <code:reason>', description: tr('settlement:cli.overrideHelp') })
  parseOverride(v: string, prev: string[] = []) { return [...prev, v]; }
}

@Injectable()
@SubCommand({ name: 'export', description: tr('settlement:cli.exportHelp') })
export class SettlementExportCommand extends CommandRunner {
  constructor(private readonly batches: SettlementBatchService) { super(); }
  async run(_: string[], opts: { batch: number; out: string }): Promise<void> {
    const r = await this.batches.export(SYSTEM_ACTOR, opts.batch);
    writeFileSync(opts.out, r.csv);
    writeFileSync(`${opts.out}.control.csv`, r.control);
    say('settlement:cli.wrote', { file: opts.out, control: `${opts.out}.control.csv` });
  }
  @Option({ flags: '--batch <id>', required: true, description: tr('settlement:cli.batchHelp') }) parseBatch(v: string) { return Number(v); }
  @Option({ flags: '--out <file>', required: true, description: tr('settlement:cli.outHelp') }) parseOut(v: string) { return v; }
}

@Injectable()
@SubCommand({ name: 'payments', arguments: '<file>', description: tr('settlement:cli.paymentsHelp') })
export class SettlementPaymentsCommand extends CommandRunner {
  constructor(private readonly batches: SettlementBatchService) { super(); }
  async run([file]: string[]): Promise<void> {
    const r = await this.batches.importPaymentConfirmation(SYSTEM_ACTOR, readFileSync(file));
    say('settlement:cli.paid', { count: r.lines, batches: r.batchIds.map((b) => `#${b}`).join(', ') });
  }
}

@Injectable()
@Command({ name: 'settlement', description: tr('settlement:cli.settlementHelp'), subCommands: [SettlementRunCommand, SettlementExportCommand, SettlementPaymentsCommand] })
export class SettlementCommand extends CommandRunner {
  async run(): Promise<void> { this.command.help(); }
}

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: tr('settlement:cli.adjustmentsImportHelp') })
export class AdjustmentsImportCommand extends CommandRunner {
  constructor(private readonly settlement: SettlementService) { super(); }
  async run([file]: string[]): Promise<void> {
    say('settlement:cli.adjustmentsImported', { count: await this.settlement.importAdjustments(SYSTEM_ACTOR, readFileSync(file)) });
  }
}

@Injectable()
@Command({ name: 'adjustments', description: tr('settlement:cli.adjustmentsHelp'), subCommands: [AdjustmentsImportCommand] })
export class AdjustmentsCommand extends CommandRunner {
  async run(): Promise<void> { this.command.help(); }
}

export const SETTLEMENT_COMMANDS = [AccrualsCommand, AccrualsImportCommand, SettlementCommand, SettlementRunCommand, SettlementExportCommand, SettlementPaymentsCommand, AdjustmentsCommand, AdjustmentsImportCommand];
