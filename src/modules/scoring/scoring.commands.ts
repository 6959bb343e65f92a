import { Injectable } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { ScoringConfirmService } from './scoring-confirm.service';
import { ScoringCsvService } from './scoring-csv.service';
import { ScoringService } from './scoring.service';

interface PeriodOpts { period: string }

/** An operator message in the CLI's language (zh-CN unless PORTAL_LANG=en). */
const say = (key: string, params?: Record<string, unknown>) => console.log(tDeep(cliLanguage(), key, params));
/** The help text of a command or option, in the CLI's language. */
const help = (name: string) => tDeep(cliLanguage(), `scoring:cli.help.${name}`);


@Injectable()
@SubCommand({ name: 'open', description: help('open') })
export class ScoringOpenCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: help('period'), required: true }) parsePeriod(v: string) { return v.trim(); }
  constructor(private readonly scoring: ScoringService) { super(); }
  async run(_: string[], opts: PeriodOpts & { disputeDays?: number }): Promise<void> {
    const r = await this.scoring.openPeriod(SYSTEM_ACTOR, opts.period, { disputeWindowDays: opts.disputeDays });
    say('scoring:cli.opened', { period: opts.period, created: r.created, existing: r.existing });
  }
  @Option({ flags: '--dispute-days <days>', description: help('disputeDays') }) parseDays(v: string) { return Number(v); }
}

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: help('import') })
export class ScoringImportCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: help('period'), required: true }) parsePeriod(v: string) { return v.trim(); }
  constructor(private readonly csv: ScoringCsvService) { super(); }
  async run([file]: string[], opts: PeriodOpts): Promise<void> {
    const r = await this.csv.importManualScores(SYSTEM_ACTOR, opts.period, readFileSync(file));
    say('scoring:cli.imported', { rows: r.rows, sheets: r.sheets, period: opts.period });
  }
}

@Injectable()
@SubCommand({ name: 'confirm', description: help('confirm') })
export class ScoringConfirmCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: help('period'), required: true }) parsePeriod(v: string) { return v.trim(); }
  constructor(private readonly confirmer: ScoringConfirmService) { super(); }
  async run(_: string[], opts: PeriodOpts & { withinWindow?: boolean; reason?: string }): Promise<void> {
    const r = await this.confirmer.confirmPeriod(SYSTEM_ACTOR, opts.period, { withinWindow: opts.withinWindow, reason: opts.reason }, (line) => say(line.message, line.params));
    say('scoring:cli.confirmed', { count: r.confirmed.length, period: opts.period });
    if (r.notConfirmed.length) {
      say('scoring:cli.notConfirmed', { count: r.notConfirmed.length });
      for (const n of r.notConfirmed) say('scoring:cli.notConfirmedLine', { partner: n.partnerCode, sheet: n.sheetId, why: tDeep(cliLanguage(), n.why.message, n.why.params) });
    }
  }
  @Option({ flags: '--within-window', description: help('withinWindow') }) parseWithin() { return true; }
  @Option({ flags: '--reason <text>', description: help('reason') }) parseReason(v: string) { return v; }
}

@Injectable()
@SubCommand({ name: 'export', description: help('export') })
export class ScoringExportCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: help('period'), required: true }) parsePeriod(v: string) { return v.trim(); }
  constructor(private readonly csv: ScoringCsvService) { super(); }
  async run(_: string[], opts: PeriodOpts & { out: string }): Promise<void> {
    const text = await this.csv.exportPeriod(SYSTEM_ACTOR, opts.period);
    writeFileSync(opts.out, text);
    say('scoring:cli.wrote', { count: text.trim().split('\n').length - 1, file: opts.out });
  }
  @Option({ flags: '--out <file>', description: help('out'), required: true }) parseOut(v: string) { return v; }
}

@Injectable()
@Command({ name: 'scoring', description: help('scoring'), subCommands: [ScoringOpenCommand, ScoringImportCommand, ScoringConfirmCommand, ScoringExportCommand] })
export class ScoringCommand extends CommandRunner {
  async run(): Promise<void> {
    say('scoring:cli.usage');
  }
}

export const ScoringCommands = [ScoringCommand, ScoringOpenCommand, ScoringImportCommand, ScoringConfirmCommand, ScoringExportCommand];
