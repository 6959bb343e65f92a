import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';
import { ConfigValidationError } from './core/config/env.validation';

async function main(): Promise<void> {
  // Logs go to stderr at warn level so command output stays readable and pipeable.
  process.env.LOG_LEVEL ??= 'warn';
  await CommandFactory.run(CliModule, {
    logger: ['error', 'warn'],
    errorHandler: (err) => {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version') process.exit(0);
      console.error(err instanceof ConfigValidationError ? err.message : `Error: ${err.message}`);
      process.exit(1);
    },
    serviceErrorHandler: (err) => {
      const rows = (err as { errors?: { row: number; column: string; message: string }[] }).errors;
      console.error(`Error: ${err.message}`);
      if (Array.isArray(rows)) for (const r of rows.slice(0, 200)) console.error(`  row ${r.row}, column ${r.column}: ${r.message}`);
      process.exit(1);
    },
  });
}

main().catch((err) => {
  console.error(err instanceof ConfigValidationError ? err.message : err);
  process.exit(1);
});
