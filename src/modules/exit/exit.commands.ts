import { Injectable } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { parsePeriod } from '../../core/period/period.util';
import { ExitService } from './exit.service';

/** Operator messages in the CLI's language (zh-CN unless PORTAL_LANG=en). */
const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);

@Injectable()
@SubCommand({ name: 'evaluate', description: tr('exit:cli.evaluateHelp') })
export class ExitEvaluateCommand extends CommandRunner {
  constructor(private readonly exits: ExitService) { super(); }
  async run(_: string[], opts: { period?: string }): Promise<void> {
    const period = opts.period ? parsePeriod(opts.period).code : undefined;
    const created = await this.exits.evaluate(SYSTEM_ACTOR, { period }, (key, params) => console.log(tr(key, params)));
    for (const p of created) console.log(`  ${tr('exit:cli.proposal', { id: p.id, partner: p.partnerId, trigger: `exit:trigger.${p.trigger}` })}`);
  }
  @Option({ flags: '-p, --period <period>', description: tr('exit:cli.periodHelp') }) parsePeriod(v: string) { return v; }
}

@Injectable()
@Command({ name: 'exit', description: tr('exit:cli.exitHelp'), subCommands: [ExitEvaluateCommand] })
export class ExitCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log(tr('exit:cli.usage'));
  }
}
