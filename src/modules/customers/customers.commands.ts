import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { CustomerImportService } from './customer-import.service';

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: `import customers and assignments (code,name,industry,region,class,stage,partner_code,assigned_from); all or nothing` })
export class CustomersImportCommand extends CommandRunner {
  constructor(private readonly importer: CustomerImportService) { super(); }
  async run([file]: string[]): Promise<void> {
    const r = await this.importer.importCsv(SYSTEM_ACTOR, readFileSync(file), (msg) => console.log(msg));
    console.log(`Imported ${r.customers} customer(s) and ${r.assignments} assignment(s) from ${file}.`);
  }
}

@Injectable()
@Command({ name: 'customers', description: 'customer commands', subCommands: [CustomersImportCommand] })
export class CustomersCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log('Usage: customers import <file>');
  }
}
