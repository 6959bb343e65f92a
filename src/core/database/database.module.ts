import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { isPglite } from './db-kind.util';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { PreparedQueries } from './prepared-queries';
import { typeOrmOptions } from './typeorm-options';

export const EMBEDDED_DB = Symbol('EMBEDDED_DB');
const holder: { embedded?: EmbeddedPostgres } = {};

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        let url = config.get('DATABASE_URL');
        if (!url) {
          holder.embedded = await startEmbeddedPostgres(config.get('PGLITE_DATA_DIR'), config.get('DATABASE_POOL_SIZE'));
          url = holder.embedded.url;
          new Logger('Database').log(`Embedded PostgreSQL (PGlite) at ${config.get('PGLITE_DATA_DIR')}`);
        }
        return {
          ...typeOrmOptions(url, config.get('DATABASE_POOL_SIZE')),
          autoLoadEntities: true,
          migrationsRun: config.get('RUN_MIGRATIONS_ON_START'),
          retryAttempts: config.isTest ? 0 : 3,
          retryDelay: 1000,
        };
      },
    }),
  ],
  providers: [
    { provide: EMBEDDED_DB, useValue: holder },
    {
      provide: PreparedQueries,
      inject: [getDataSourceToken()],
      useFactory: async (ds: DataSource) => new PreparedQueries((ds.driver as unknown as { master: Pool }).master, !(await isPglite(ds))),
    },
  ],
  exports: [EMBEDDED_DB, PreparedQueries],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED_DB) private readonly embedded: typeof holder) {}
  async onApplicationShutdown(): Promise<void> {
    // TypeORM closes its pool first (its own shutdown hook); then the embedded server can stop.
    const e = this.embedded.embedded;
    this.embedded.embedded = undefined;
    if (e) await e.stop().catch(() => undefined);
  }
}
