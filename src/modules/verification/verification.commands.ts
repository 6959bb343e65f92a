import { Injectable } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { periodOfDate, previousPeriod, todayIso } from '../../core/period/period.util';
import { VerificationService } from './verification.service';

const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);

@Injectable()
@SubCommand({ name: 'sample', description: 'draw the quarter\'s random sample of service records per partner for verification (a partner already drawn keeps its sample)' })
export class VerificationSampleCommand extends CommandRunner {
  constructor(private readonly verification: VerificationService) { super(); }
  async run(_: string[], opts: { period?: string; partner?: string }): Promise<void> {
    const period = opts.period ?? previousPeriod(periodOfDate(todayIso()).code).code;
    const partnerId = opts.partner ? Number(opts.partner) : null;
    const r = await this.verification.draw(SYSTEM_ACTOR, period, Number.isInteger(partnerId) && partnerId! > 0 ? partnerId : null);
    console.log(tr('verification:cli.drawn', { period, ...r }));
  }
  @Option({ flags: '-p, --period <period>', description: 'quarter like 2026Q3 (default: the last finished quarter)' }) parsePeriod(v: string) { return v; }
  @Option({ flags: '--partner <id>', description: 'only this partner (id)' }) parsePartner(v: string) { return v; }
}

@Injectable()
@Command({ name: 'verification', description: 'verified service records: quarterly random samples', subCommands: [VerificationSampleCommand] })
export class VerificationCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log(tr('verification:cli.usage'));
  }
}
