import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config.service';

/** Production must set SESSION_SECRET (validated). Development keeps a random one beside the embedded data. */
export function sessionSecret(config: AppConfig): string {
  const configured = config.get('SESSION_SECRET');
  if (configured) return configured;
  if (config.isTest) return randomBytes(32).toString('hex');
  const file = join(resolve(dirname(config.get('PGLITE_DATA_DIR'))), 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
