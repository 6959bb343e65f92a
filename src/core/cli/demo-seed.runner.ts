import { INestApplicationContext, Logger } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../auth/actor';
import { UsersService } from '../auth/users.service';
import { AppConfig } from '../config/app-config.service';
import { DemoSeedContext, ExtensionRegistry } from '../web/discovery';

export const DEMO_PASSWORD = 'demo-password-1';

/**
 * Fills an empty database with a realistic demo data set: core users here, then each module's @DemoSeed
 * provider in order, all in one transaction (a failure leaves the database empty, as before).
 */
export async function runDemoSeed(app: Pick<INestApplicationContext, 'get'>, opts: { ifEmpty: boolean; print: boolean }): Promise<boolean> {
  const config = app.get(AppConfig);
  if (config.isProduction) throw new Error('seed-demo refuses to run with NODE_ENV=production: demo logins have known passwords.');
  const db = app.get<DataSource>(getDataSourceToken());
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM user_account`);
  if (n > 0) {
    if (opts.ifEmpty) {
      if (opts.print) console.log('Database already has users; demo data not loaded again. Demo logins (if this is the demo database): password ' + DEMO_PASSWORD);
      return false;
    }
    throw new Error('The database already has users; seed-demo only fills an empty database.');
  }
  const logger = new Logger('DemoSeed');
  const users = app.get(UsersService);
  const registry = app.get(ExtensionRegistry);
  const logins: DemoSeedContext['logins'] = [];
  await db.transaction(async (manager) => {
    const ctx: DemoSeedContext = { manager, actor: SYSTEM_ACTOR, logins, bag: {}, log: (m) => logger.log(m) };
    for (const [username, role, displayName] of [
      ['admin', 'admin', 'Alice Admin'], ['manager', 'channel_manager', 'Ma Manager'], ['manager2', 'channel_manager', 'Wu Manager'], ['finance', 'finance', 'Fan Finance'],
    ] as const) {
      const u = await users.create(SYSTEM_ACTOR, { username, password: DEMO_PASSWORD, role, displayName }, manager);
      ctx.bag[`user:${username}`] = u.id;
      logins.push({ username, password: DEMO_PASSWORD, role });
    }
    for (const { instance, name } of registry.demoSeeders()) {
      logger.log(`seeding ${name}`);
      await instance.seed(ctx);
    }
  });
  if (opts.print) {
    console.log('\nDemo data loaded. Sign in at http://localhost:' + config.get('PORT') + ' with:');
    for (const l of logins) console.log(`  ${l.username.padEnd(16)} ${l.password.padEnd(18)} ${l.role}${l.note ? ` (${l.note})` : ''}`);
    console.log('');
  }
  return true;
}
