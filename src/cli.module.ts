import { Module } from '@nestjs/common';
import { AppModule } from './app.module';
import { CreateAdminCommand, MigrateCommand, SeedDemoCommand } from './core/cli/core.commands';

/** The CLI: the whole application without the HTTP server, plus the core commands; modules add their own commands as providers. */
@Module({ imports: [AppModule.forRoot()], providers: [MigrateCommand, CreateAdminCommand, SeedDemoCommand] })
export class CliModule {}
