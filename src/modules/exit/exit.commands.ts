import { Injectable } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { parsePeriod } from '../../core/period/period.util';
import { ExitService } from './exit.service';

@Injectable()
@SubCommand({ name: 'evaluate', description: 'evaluate the exit triggers and propose exits (idempotent); --period 2026Q3 uses that confirmed quarter' })
export class ExitEvaluateCommand extends CommandRunner {
  constructor(private readonly exits: ExitService) { super(); }
  async run(_: string[], opts: { period?: string }): Promise<void> {
    const period = opts.period ? parsePeriod(opts.period).code : undefined;
    const created = await this.exits.evaluate(SYSTEM_ACTOR, { period }, (line) => console.log(line));
    for (const p of created) console.log(`  proposal #${p.id}: partner ${p.partnerId}, ${p.trigger}`);
  }
  @Option({ flags: '-p, --period <period>', description: 'confirmed quarter, e.g. 2026Q3' }) parsePeriod(v: string) { return v; }
}

@Injectable()
@Command({ name: 'exit', description: 'partner exit commands', subCommands: [ExitEvaluateCommand] })
export class ExitCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log('usage: exit evaluate [--period 2026Q3]');
  }
}
