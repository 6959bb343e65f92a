import { Injectable } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { periodOfDate, previousPeriod, todayIso } from '../../core/period/period.util';
import { RetentionService } from './retention.service';

const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);

@Injectable()
@SubCommand({ name: 'evaluate', description: 'raise churn warnings for customers whose accruals fell beyond the setting quarter on quarter (idempotent)' })
export class RetentionEvaluateCommand extends CommandRunner {
  constructor(private readonly retention: RetentionService) { super(); }
  async run(_: string[], opts: { period?: string }): Promise<void> {
    const period = opts.period ?? previousPeriod(periodOfDate(todayIso()).code).code;
    const r = await this.retention.evaluateAccruals(SYSTEM_ACTOR, period);
    console.log(tr('retention:cli.evaluated', { period, raised: r.raised }));
  }
  @Option({ flags: '-p, --period <period>', description: 'quarter like 2026Q3 (default: the last finished quarter)' }) parsePeriod(v: string) { return v; }
}

@Injectable()
@Command({ name: 'retention', description: 'churn early warning commands', subCommands: [RetentionEvaluateCommand] })
export class RetentionCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log(tr('retention:cli.usage'));
  }
}
