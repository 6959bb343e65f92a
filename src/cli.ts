import './core/i18n/business-time-zone';
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { formatRowError } from './core/csv/csv.util';
import { ConfigValidationError, validateEnvironment } from './core/config/env.validation';
import { cliLanguage, tDeep } from './core/i18n/i18n';

const lang = cliLanguage();
const tr = (key: string, params?: Record<string, unknown>) => tDeep(lang, key, params);

/** An error as the operator reads it: one translated line (plus the file's rows), never a stack trace for a refusal. */
function explain(err: unknown): string[] {
  const e = err as { message?: string; params?: Record<string, unknown>; errors?: { row: number; column: string; message: string; params?: Record<string, unknown> }[]; response?: { message?: string; params?: Record<string, unknown> } };
  if (err instanceof ConfigValidationError) return [e.message ?? ''];
  const message = e.response?.message && typeof e.response.message === 'string' ? tr(e.response.message, e.response.params) : tr(e.message ?? String(err), e.params);
  const lines = [`${tr('cli:error')}: ${message}`];
  if (Array.isArray(e.errors)) for (const r of e.errors.slice(0, 200)) lines.push(`  ${formatRowError(r, tr)}`);
  return lines;
}

async function main(): Promise<void> {
  // Logs go to stderr at warn level so command output stays readable and pipeable.
  process.env.LOG_LEVEL ??= 'warn';
  // a bad setting is one clear line, before Nest would log it with a stack trace
  validateEnvironment(process.env);
  // loaded here, not at the top: reading the configuration happens while the module is built, and a bad setting
  // must reach the handler below as one line rather than as a stack trace from the module loader
  const { CliModule } = await import('./cli.module');
  // the CLI enqueues durable work for the portal's processes; it runs workers only when asked (JOBS_WORKER=true)
  const { JobQueue } = await import('./core/jobs/job-queue.service');
  JobQueue.runWorkers = ['1', 'true', 'yes'].includes(String(process.env.JOBS_WORKER ?? '').toLowerCase());
  await CommandFactory.run(CliModule, {
    logger: ['error', 'warn'],
    errorHandler: (err) => {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version') process.exit(0);
      for (const line of explain(err)) console.error(line);
      process.exit(1);
    },
    serviceErrorHandler: (err) => {
      for (const line of explain(err)) console.error(line);
      process.exit(1);
    },
  });
}

main().catch((err) => {
  for (const line of explain(err)) console.error(line);
  process.exit(1);
});
