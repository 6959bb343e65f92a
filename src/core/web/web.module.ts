import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { CsrfGuard } from './csrf';
import { ExtensionRegistry } from './discovery';
import { HomeController } from './home.controller';

@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [HomeController],
  providers: [ExtensionRegistry, { provide: APP_GUARD, useClass: CsrfGuard }],
  exports: [ExtensionRegistry],
})
export class WebModule {}
