import './core/i18n/business-time-zone';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig } from './core/config/app-config.service';
import { ConfigValidationError } from './core/config/env.validation';
import { bootstrapAdminFromEnv } from './core/cli/bootstrap-admin';
import { runDemoSeed } from './core/cli/demo-seed.runner';

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { bufferLogs: true });
  configureApp(app);
  await bootstrapAdminFromEnv(app);
  if (process.argv.includes('--seed-demo')) await runDemoSeed(app, { ifEmpty: true, print: true });
  const config = app.get(AppConfig);
  try {
    await app.listen(config.get('PORT'), process.env.HOST ?? '127.0.0.1');
  } catch (err) {
    await app.close(); // stop the embedded database cleanly before exiting
    throw err;
  }
  const url = await app.getUrl();
  console.log(`Partner Portal listening on ${url.replace('127.0.0.1', 'localhost')} (${config.get('DATABASE_URL') ? 'PostgreSQL' : 'embedded PGlite database'})`);
}

main().catch((err) => {
  if (err instanceof ConfigValidationError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
