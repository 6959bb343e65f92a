import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../auth/actor';
import { checkPasswordPolicy } from '../auth/password-policy.util';
import { UsersService } from '../auth/users.service';
import { cliLanguage, tDeep } from '../i18n/i18n';
import { runDemoSeed } from './demo-seed.runner';

@Injectable()
@Command({ name: 'migrate', description: 'apply pending database migrations (also done on start-up)' })
export class MigrateCommand extends CommandRunner {
  constructor(@InjectDataSource() private readonly db: DataSource) { super(); }
  async run(): Promise<void> {
    const applied = await this.db.runMigrations({ transaction: 'each' });
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM schema_migrations`);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'Database is up to date.');
    console.log(`${n} migration(s) recorded in schema_migrations.`);
  }
}

@Injectable()
@Command({ name: 'create-admin', description: 'create an admin login (password from --password or the ADMIN_PASSWORD environment variable)' })
export class CreateAdminCommand extends CommandRunner {
  constructor(private readonly users: UsersService) { super(); }
  async run(_: string[], opts: { username: string; password?: string; name?: string }): Promise<void> {
    const password = opts.password ?? process.env.ADMIN_PASSWORD;
    if (!password) throw new Error('give --password or set ADMIN_PASSWORD');
    // the same password rule as everywhere else (length, strength, not the person's own name)
    const refusal = checkPasswordPolicy(password, { username: opts.username, displayName: opts.name });
    if (refusal) throw new Error(tDeep(cliLanguage(), refusal.message, refusal.params));
    const u = await this.users.create(SYSTEM_ACTOR, { username: opts.username, password, role: 'admin', displayName: opts.name ?? 'Administrator' });
    console.log(`Admin "${u.username}" created (id ${u.id}).`);
  }
  @Option({ flags: '-u, --username <username>', required: true }) parseUsername(v: string) { return v; }
  @Option({ flags: '-p, --password <password>' }) parsePassword(v: string) { return v; }
  @Option({ flags: '-n, --name <display name>' }) parseName(v: string) { return v; }
}

@Injectable()
@Command({ name: 'seed-demo', description: 'fill an empty database with the demo data set and print the demo logins' })
export class SeedDemoCommand extends CommandRunner {
  constructor(private readonly moduleRef: ModuleRef) { super(); }
  async run(): Promise<void> {
    // ModuleRef.get is strict (own module only) by default: look providers up across the whole app
    await runDemoSeed({ get: (token: never) => this.moduleRef.get(token, { strict: false }) } as never, { ifEmpty: false, print: true });
  }
}
