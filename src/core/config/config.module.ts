import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnvironment } from './env.validation';
import { AppConfig } from './app-config.service';

@Global()
@Module({})
export class AppConfigModule {
  /** Reads and validates the environment now: a bad setting throws here, naming it. */
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, cache: false, ignoreEnvFile: true, validate: validateEnvironment })],
      providers: [AppConfig],
      exports: [AppConfig],
    };
  }
}
