import { Injectable } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { isValidIsoDate, todayIso } from '../../core/period/period.util';
import { DutiesService } from './duties.service';

@Injectable()
@SubCommand({ name: 'generate', description: 'create the quarterly checklist for all customers (idempotent: re-running adds only what is missing)' })
export class DutiesGenerateCommand extends CommandRunner {
  constructor(private readonly duties: DutiesService) { super(); }
  async run(_: string[], opts: { period: string }): Promise<void> {
    const started = Date.now();
    console.log(`Generating the ${opts.period} checklist…`);
    const r = await this.duties.generate(SYSTEM_ACTOR, opts.period);
    console.log(`${r.inserted} new item(s), ${r.total} in total for ${opts.period} (${Date.now() - started} ms).`);
  }
  @Option({ flags: '-p, --period <period>', description: 'quarter like 2026Q3', required: true }) parsePeriod(v: string) { return v; }
}

@Injectable()
@SubCommand({ name: 'lock', description: 'lock a quarter: no more service records can be added for it' })
export class DutiesLockCommand extends CommandRunner {
  constructor(private readonly duties: DutiesService) { super(); }
  async run(_: string[], opts: { period: string; reason?: string }): Promise<void> {
    const locked = await this.duties.lockQuarter(SYSTEM_ACTOR, opts.period, opts.reason ?? 'locked from the command line');
    console.log(locked ? `Quarter ${opts.period} locked.` : `Quarter ${opts.period} was already locked.`);
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
    console.log(reopened ? `Quarter ${opts.period} reopened.` : `Quarter ${opts.period} was not locked.`);
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
    if (!isValidIsoDate(today)) throw new Error(`--date "${today}" is not a date like 2026-11-25`);
    const r = await this.duties.raiseOverdueAlerts(SYSTEM_ACTOR, today);
    console.log(`${r.overdue} item(s) overdue on ${today}; ${r.created} new alert(s) recorded.`);
  }
  @Option({ flags: '-d, --date <date>', description: 'judge overdue as of this day (default today)' }) parseDate(v: string) { return v; }
}

@Injectable()
@Command({ name: 'duties', description: 'duty checklist commands', subCommands: [DutiesGenerateCommand, DutiesLockCommand, DutiesUnlockCommand, DutiesAlertsCommand] })
export class DutiesCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log('Usage: duties generate --period 2026Q3 | duties lock --period 2026Q3 | duties unlock --period 2026Q3 --reason R | duties alerts [--date 2026-11-25]');
  }
}
