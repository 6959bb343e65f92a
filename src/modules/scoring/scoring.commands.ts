import { Injectable } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { ScoringConfirmService } from './scoring-confirm.service';
import { ScoringCsvService } from './scoring-csv.service';
import { ScoringService } from './scoring.service';

interface PeriodOpts { period: string }


@Injectable()
@SubCommand({ name: 'open', description: 'open scoring for a quarter: one draft sheet per active or suspended partner, auto indicators computed' })
export class ScoringOpenCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: 'quarter, e.g. 2026Q3', required: true }) parsePeriod(v: string) { return v.trim(); }
  constructor(private readonly scoring: ScoringService) { super(); }
  async run(_: string[], opts: PeriodOpts & { disputeDays?: number }): Promise<void> {
    const r = await this.scoring.openPeriod(SYSTEM_ACTOR, opts.period, { disputeWindowDays: opts.disputeDays });
    console.log(`Scoring for ${opts.period} open: ${r.created} sheet(s) created, ${r.existing} already existed.`);
  }
  @Option({ flags: '--dispute-days <days>', description: 'dispute window in days (default 7)' }) parseDays(v: string) { return Number(v); }
}

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: 'import manual indicator scores (partner_code,indicator_code,score,comment); all or nothing' })
export class ScoringImportCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: 'quarter, e.g. 2026Q3', required: true }) parsePeriod(v: string) { return v.trim(); }
  constructor(private readonly csv: ScoringCsvService) { super(); }
  async run([file]: string[], opts: PeriodOpts): Promise<void> {
    const r = await this.csv.importManualScores(SYSTEM_ACTOR, opts.period, readFileSync(file));
    console.log(`Imported ${r.rows} score(s) into ${r.sheets} sheet(s) of ${opts.period}.`);
  }
}

@Injectable()
@SubCommand({ name: 'confirm', description: 'confirm every submitted sheet whose dispute window has passed (or is undisputable); lists the others and why' })
export class ScoringConfirmCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: 'quarter, e.g. 2026Q3', required: true }) parsePeriod(v: string) { return v.trim(); }
  constructor(private readonly confirmer: ScoringConfirmService) { super(); }
  async run(_: string[], opts: PeriodOpts & { withinWindow?: boolean; reason?: string }): Promise<void> {
    const r = await this.confirmer.confirmPeriod(SYSTEM_ACTOR, opts.period, { withinWindow: opts.withinWindow, reason: opts.reason }, (line) => console.log(line));
    console.log(`${r.confirmed.length} sheet(s) confirmed in ${opts.period}.`);
    if (r.notConfirmed.length) {
      console.log(`${r.notConfirmed.length} sheet(s) not confirmed:`);
      for (const n of r.notConfirmed) console.log(`  ${n.partnerCode} (sheet ${n.sheetId}): ${n.why}`);
    }
  }
  @Option({ flags: '--within-window', description: 'confirm even while the dispute window is open (needs --reason)' }) parseWithin() { return true; }
  @Option({ flags: '--reason <text>', description: 'reason written to the audit log' }) parseReason(v: string) { return v; }
}

@Injectable()
@SubCommand({ name: 'export', description: 'write partner_code,score_y,coefficient_p,status of every sheet of the quarter' })
export class ScoringExportCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: 'quarter, e.g. 2026Q3', required: true }) parsePeriod(v: string) { return v.trim(); }
  constructor(private readonly csv: ScoringCsvService) { super(); }
  async run(_: string[], opts: PeriodOpts & { out: string }): Promise<void> {
    const text = await this.csv.exportPeriod(opts.period);
    writeFileSync(opts.out, text);
    console.log(`Wrote ${text.trim().split('\n').length - 1} sheet(s) to ${opts.out}.`);
  }
  @Option({ flags: '--out <file>', description: 'output CSV file', required: true }) parseOut(v: string) { return v; }
}

@Injectable()
@Command({ name: 'scoring', description: 'quarterly service-quality scoring', subCommands: [ScoringOpenCommand, ScoringImportCommand, ScoringConfirmCommand, ScoringExportCommand] })
export class ScoringCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log('Use: scoring open|import|confirm|export --period 2026Q3 (see --help)');
  }
}

export const ScoringCommands = [ScoringCommand, ScoringOpenCommand, ScoringImportCommand, ScoringConfirmCommand, ScoringExportCommand];
