import './core/i18n/business-time-zone';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig } from './core/config/app-config.service';
import { ConfigValidationError, validateEnvironment } from './core/config/env.validation';
import { bootstrapAdminFromEnv } from './core/cli/bootstrap-admin';
import { DEMO_PASSWORD, demoLoginsText, runDemoSeed } from './core/cli/demo-seed.runner';
import { cliLanguage, tDeep } from './core/i18n/i18n';

async function main(): Promise<void> {
  const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);
  // a bad setting is one clear line, before Nest would log it with a stack trace
  validateEnvironment(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { bufferLogs: true });
  configureApp(app);
  // modules start (the job queue among them) before the demo data is written: its work is enqueued in the seed's
  // transaction, on the transaction's connection (the embedded database has only one)
  await app.init();
  await bootstrapAdminFromEnv(app);
  const demo = process.argv.includes('--seed-demo') ? await runDemoSeed(app, { ifEmpty: true, print: false }) : null;
  const config = app.get(AppConfig);
  try {
    await app.listen(config.get('PORT'), process.env.HOST ?? '127.0.0.1');
  } catch (err) {
    await app.close(); // stop the embedded database cleanly before exiting
    throw err;
  }
  const url = (await app.getUrl()).replace('127.0.0.1', 'localhost').replace('[::1]', 'localhost');
  console.log(`Partner Portal listening on ${url} (${config.get('DATABASE_URL') ? 'PostgreSQL' : tr('cli:start.embedded')})`);
  // the demo logins come last, where the person who started the demo looks
  if (demo) console.log(demoLoginsText(demo, url, config.get('DATABASE_URL') ? null : config.get('PGLITE_DATA_DIR')));
  else if (demo === false) console.log(tr('cli:demo.alreadyLoaded', { password: DEMO_PASSWORD, url }));
}

main().catch((err) => {
  if (err instanceof ConfigValidationError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
