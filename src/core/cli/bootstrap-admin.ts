import { INestApplicationContext, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { ConfigValidationError } from '../config/env.validation';
import { SYSTEM_ACTOR } from '../auth/actor';
import { checkPasswordPolicy } from '../auth/password-policy.util';
import { UsersService } from '../auth/users.service';
import { tDeep } from '../i18n/i18n';

/** Production bootstrap without the CLI: ADMIN_USERNAME/ADMIN_PASSWORD create the first admin when there is none. */
export async function bootstrapAdminFromEnv(app: INestApplicationContext): Promise<void> {
  const config = app.get(AppConfig);
  const username = config.get('ADMIN_USERNAME');
  const password = config.get('ADMIN_PASSWORD');
  if (!username && !password) return;
  // the CLI's create-admin reads ADMIN_PASSWORD alone; starting the web server with only half of the pair is a mistake
  if (!username || !password) throw new ConfigValidationError('Invalid configuration: ADMIN_USERNAME/ADMIN_PASSWORD: set both or neither to create the first admin on start');
  const users = app.get(UsersService);
  if ((await users.countAdmins()) > 0) return;
  const refusal = checkPasswordPolicy(password, { username, displayName: 'Administrator' });
  if (refusal) throw new ConfigValidationError(`Invalid configuration: ADMIN_PASSWORD: ${tDeep('en', refusal.message, refusal.params)}`);
  await users.create(SYSTEM_ACTOR, { username, password, role: 'admin', displayName: 'Administrator' });
  new Logger('Bootstrap').log(`First admin "${username}" created from the environment.`);
}
