import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { ComplaintImportService } from './complaint-import.service';
import { ComplaintsService } from './complaints.service';

const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);

@Injectable()
@SubCommand({ name: 'escalate', description: 'escalate every unfinished work order past its due time now (the portal also does it every 5 minutes)' })
export class ComplaintsEscalateCommand extends CommandRunner {
  constructor(private readonly complaints: ComplaintsService) { super(); }
  async run(): Promise<void> {
    const r = await this.complaints.escalateOverdue(SYSTEM_ACTOR);
    console.log(tr('complaints:cli.escalated', { count: r.escalated }));
  }
}

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: 'import work orders: customer_code,kind,category,description,received_at[,reference] (all or nothing)' })
export class ComplaintsImportCommand extends CommandRunner {
  constructor(private readonly importer: ComplaintImportService) { super(); }
  async run([file]: string[]): Promise<void> {
    const r = await this.importer.importCsv(SYSTEM_ACTOR, readFileSync(file));
    console.log(tr('complaints:cli.imported', { count: r.created }));
  }
}

@Injectable()
@Command({ name: 'complaints', description: 'complaint and fault work orders', subCommands: [ComplaintsEscalateCommand, ComplaintsImportCommand] })
export class ComplaintsCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log(tr('complaints:cli.usage'));
  }
}
