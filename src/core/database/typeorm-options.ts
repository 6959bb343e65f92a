import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Compiled migrations live in dist/migrations; under jest the .ts files in migrations/ are loaded. */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', 'migrations', '*.{ts,js}');

export function typeOrmOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // PGlite has no uuid-ossp and cannot CREATE EXTENSION pgcrypto; gen_random_uuid() is built in (PG13+).
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrations: [MIGRATIONS_GLOB.replace(/\\/g, '/')],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  };
}
