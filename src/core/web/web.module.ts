import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { CsrfGuard } from './csrf';
import { ExtensionRegistry } from './discovery';
import { HomeController } from './home.controller';
import { InputSanityGuard } from './input-sanity.guard';

@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [HomeController],
  providers: [ExtensionRegistry, { provide: APP_GUARD, useClass: CsrfGuard }, { provide: APP_GUARD, useClass: InputSanityGuard }],
  exports: [ExtensionRegistry],
})
export class WebModule {}
