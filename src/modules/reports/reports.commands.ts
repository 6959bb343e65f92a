import { Injectable } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { writeXlsx } from '../../core/export/xlsx.util';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { parsePeriod } from '../../core/period/period.util';
import { parseListQuery } from '../../core/web/list-query';
import { ReportKey, REPORTS } from './report-defs';
import { ReportsService } from './reports.service';

const t = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);
const say = (key: string, params?: Record<string, unknown>) => console.log(t(key, params));

/** The main reports of a quarter for the finance and channel departments, in this order. */
export const QUARTER_PACK: ReportKey[] = ['ranking', 'cost', 'duties', 'violations', 'complaints'];

@Injectable()
@SubCommand({ name: 'quarter', description: t('reports:cli.help.quarter') })
export class ReportQuarterCommand extends CommandRunner {
  @Option({ flags: '--period <period>', description: t('reports:cli.help.period'), required: true }) parsePeriodOpt(v: string) { return v.trim(); }
  @Option({ flags: '--out <dir>', description: t('reports:cli.help.out'), required: true }) parseOut(v: string) { return v; }
  constructor(private readonly reports: ReportsService) { super(); }

  async run(_: string[], opts: { period: string; out: string }): Promise<void> {
    const period = parsePeriod(opts.period).code;
    mkdirSync(opts.out, { recursive: true });
    say('reports:cli.start', { period, dir: opts.out, count: QUARTER_PACK.length });
    // the quarter for the quarterly reports, the quarter alone as the range of the period reports
    const filter = { period, from: period, to: period };
    for (const [i, key] of QUARTER_PACK.entries()) {
      const def = REPORTS[key];
      const started = Date.now();
      const rows = await this.reports.all(def, filter, parseListQuery({}, def.list));
      const file = join(opts.out, `${period}-${String(i + 1).padStart(2, '0')}-${t(def.title)}.xlsx`);
      const out = createWriteStream(file);
      await writeXlsx(out, this.reports.xlsx(def, filter, rows, t));
      await finished(out);
      say('reports:cli.wrote', { n: i + 1, count: QUARTER_PACK.length, title: t(def.title), rows: rows.length, file, ms: Date.now() - started });
    }
    say('reports:cli.done', { period, dir: opts.out });
  }
}

@Injectable()
@Command({ name: 'report', description: t('reports:cli.help.report'), subCommands: [ReportQuarterCommand] })
export class ReportCommand extends CommandRunner {
  async run(): Promise<void> { say('reports:cli.usage'); }
}

export const ReportCommands = [ReportCommand, ReportQuarterCommand];
