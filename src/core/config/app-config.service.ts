import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from './env.validation';

/** Typed access to validated settings. */
@Injectable()
export class AppConfig {
  constructor(private readonly config: ConfigService<EnvironmentVariables, true>) {}
  get<K extends keyof EnvironmentVariables>(key: K): EnvironmentVariables[K] {
    return this.config.get(key, { infer: true }) as EnvironmentVariables[K];
  }
  get isProduction(): boolean { return this.get('NODE_ENV') === 'production'; }
  get isTest(): boolean { return this.get('NODE_ENV') === 'test'; }
}
