import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { CustomerImportService } from './customer-import.service';

/** Operator messages in the CLI's language (zh-CN unless PORTAL_LANG=en). */
const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: `import customers and assignments (code,name,industry,region,class,stage,partner_code,assigned_from); all or nothing` })
export class CustomersImportCommand extends CommandRunner {
  constructor(private readonly importer: CustomerImportService) { super(); }
  async run([file]: string[]): Promise<void> {
    const r = await this.importer.importCsv(SYSTEM_ACTOR, readFileSync(file), (done, total) => console.log(tr('customers:cli.progress', { done, total })));
    console.log(tr('customers:cli.imported', { customers: r.customers, assignments: r.assignments, file }));
  }
}

@Injectable()
@Command({ name: 'customers', description: 'customer commands', subCommands: [CustomersImportCommand] })
export class CustomersCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log(tr('customers:cli.usage'));
  }
}
