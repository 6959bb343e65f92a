import { INestApplicationContext, Logger } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../auth/actor';
import { UsersService } from '../auth/users.service';
import { AppConfig } from '../config/app-config.service';
import { cliLanguage, tDeep } from '../i18n/i18n';
import { DemoSeedContext, ExtensionRegistry } from '../web/discovery';

export const DEMO_PASSWORD = 'demo-password-1';

/**
 * Fills an empty database with a realistic demo data set: core users here, then each module's @DemoSeed
 * provider in order, all in one transaction (a failure leaves the database empty, as before).
 */
export type DemoLogin = DemoSeedContext['logins'][number];

/** Loads the demo data set; returns the demo logins (empty when the database already had users and ifEmpty is set). */
export async function runDemoSeed(app: Pick<INestApplicationContext, 'get'>, opts: { ifEmpty: boolean; print: boolean }): Promise<DemoLogin[] | false> {
  const config = app.get(AppConfig);
  const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);
  if (config.isProduction) throw new Error(tr('cli:demo.refusedInProduction'));
  const db = app.get<DataSource>(getDataSourceToken());
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM user_account`);
  if (n > 0) {
    if (opts.ifEmpty) {
      if (opts.print) console.log(tr('cli:demo.alreadyLoaded', { password: DEMO_PASSWORD }));
      return false;
    }
    throw new Error(tr('cli:demo.notEmpty'));
  }
  const logger = new Logger('DemoSeed');
  const users = app.get(UsersService);
  const registry = app.get(ExtensionRegistry);
  const logins: DemoSeedContext['logins'] = [];
  await db.transaction(async (manager) => {
    const ctx: DemoSeedContext = { manager, actor: SYSTEM_ACTOR, logins, bag: {}, log: (m) => logger.debug(m) };
    for (const [username, role, displayName] of [
      ['admin', 'admin', '赵敏'], ['manager', 'channel_manager', '马强'], ['manager2', 'channel_manager', '吴刚'], ['finance', 'finance', '范丽'],
      // a second finance user: the checker who approves what 'finance' (the maker) computed (four eyes, #16)
      ['finance2', 'finance', '钱进'],
    ] as const) {
      // demo logins get their password directly (it is the demo) and an address, so "forgot password" can be tried (mail lands in /admin/mail)
      const u = await users.create(SYSTEM_ACTOR, { username, password: DEMO_PASSWORD, email: `${username}@demo.example.cn`, role, displayName }, manager);
      ctx.bag[`user:${username}`] = u.id;
      logins.push({ username, password: DEMO_PASSWORD, role });
    }
    // channel managers scoped to regions (#17): manager2 looks after 安顺市 and 毕节市; manager stays province-level
    const scoped: { name: string }[] = await manager.query(
      `INSERT INTO manager_region (user_id, region_id) SELECT $1, id FROM region WHERE parent_id IS NULL AND name IN ('安顺市', '毕节市') RETURNING (SELECT name FROM region r WHERE r.id = region_id)`,
      [ctx.bag['user:manager2']]);
    const m2 = logins.find((l) => l.username === 'manager2');
    if (m2 && scoped.length) m2.note = tr('cli:demo.managerRegions', { regions: scoped.map((r) => r.name).sort().join('、') });
    for (const { instance, name } of registry.demoSeeders()) {
      logger.debug(`seeding ${name}`);
      await instance.seed(ctx);
    }
  });
  if (opts.print) console.log(demoLoginsText(logins, `http://localhost:${config.get('PORT')}`));
  return logins;
}

/** The demo logins as the person who started the demo reads them: URL, then one line per login. */
export function demoLoginsText(logins: DemoLogin[], url: string, dataDir: string | null = null): string {
  const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);
  const lines = ['', tr('cli:demo.loaded', { url }), tr('cli:demo.password', { password: DEMO_PASSWORD }), ''];
  for (const l of logins) lines.push(`  ${l.username.padEnd(12)} ${tr(`common:role.${l.role}`)}${l.note ? `  ${l.note}` : ''}`);
  // where the data stays: the embedded database's folder (PGLITE_DATA_DIR), or the PostgreSQL database
  lines.push('', dataDir ? tr('cli:demo.stop', { dir: dataDir }) : tr('cli:demo.stopPostgres'), '');
  return lines.join('\n');
}
