import { Injectable } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { isValidIsoDate, todayIso } from '../../core/period/period.util';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { RuleViolation } from '../../core/web/errors';
import { DutiesService } from './duties.service';

/** Operator messages in the CLI's language (zh-CN unless PORTAL_LANG=en). */
const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);

@Injectable()
@SubCommand({ name: 'generate', description: 'create the quarterly checklist for all customers (idempotent: re-running adds only what is missing)' })
export class DutiesGenerateCommand extends CommandRunner {
  constructor(private readonly duties: DutiesService) { super(); }
  async run(_: string[], opts: { period: string }): Promise<void> {
    const started = Date.now();
    console.log(tr('duties:cli.generating', { period: opts.period }));
    const r = await this.duties.generate(SYSTEM_ACTOR, opts.period);
    console.log(tr('duties:cli.generated', { inserted: r.inserted, total: r.total, period: opts.period, ms: Date.now() - started }));
  }
  @Option({ flags: '-p, --period <period>', description: 'quarter like 2026Q3', required: true }) parsePeriod(v: string) { return v; }
}

@Injectable()
@SubCommand({ name: 'lock', description: 'lock a quarter: no more service records can be added for it' })
export class DutiesLockCommand extends CommandRunner {
  constructor(private readonly duties: DutiesService) { super(); }
  async run(_: string[], opts: { period: string; reason?: string }): Promise<void> {
    const locked = await this.duties.lockQuarter(SYSTEM_ACTOR, opts.period, opts.reason ?? tr('duties:cli.lockReason'));
    console.log(tr(locked ? 'duties:cli.locked' : 'duties:cli.alreadyLocked', { period: opts.period }));
  }
  @Option({ flags: '-p, --period <period>', description: 'quarter like 2026Q3', required: true }) parsePeriod(v: string) { return v; }
  @Option({ flags: '-r, --reason <reason>' }) parseReason(v: string) { return v; }
}

@Injectable()
@SubCommand({ name: 'unlock', description: 'reopen a locked quarter (the reason is kept in the audit log)' })
export class DutiesUnlockCommand extends CommandRunner {
  constructor(private readonly duties: DutiesService) { super(); }
  async run(_: string[], opts: { period: string; reason: string }): Promise<void> {
    const reopened = await this.duties.unlockQuarter(SYSTEM_ACTOR, opts.period, opts.reason);
    console.log(tr(reopened ? 'duties:cli.reopened' : 'duties:cli.notLocked', { period: opts.period }));
  }
  @Option({ flags: '-p, --period <period>', description: 'quarter like 2026Q3', required: true }) parsePeriod(v: string) { return v; }
  @Option({ flags: '-r, --reason <reason>', description: 'why it is reopened', required: true }) parseReason(v: string) { return v; }
}

@Injectable()
@SubCommand({ name: 'alerts', description: 'record one alert per overdue checklist item (idempotent; run it from cron, e.g. daily)' })
export class DutiesAlertsCommand extends CommandRunner {
  constructor(private readonly duties: DutiesService) { super(); }
  async run(_: string[], opts: { date?: string }): Promise<void> {
    const today = opts.date ?? todayIso();
    if (!isValidIsoDate(today)) throw new RuleViolation('duties:cli.badDate', 'date', { value: today });
    const r = await this.duties.raiseOverdueAlerts(SYSTEM_ACTOR, today);
    console.log(tr('duties:cli.alerts', { overdue: r.overdue, date: today, created: r.created }));
  }
  @Option({ flags: '-d, --date <date>', description: 'judge overdue as of this day (default today)' }) parseDate(v: string) { return v; }
}

@Injectable()
@Command({ name: 'duties', description: 'duty checklist commands', subCommands: [DutiesGenerateCommand, DutiesLockCommand, DutiesUnlockCommand, DutiesAlertsCommand] })
export class DutiesCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log(tr('duties:cli.usage'));
  }
}
