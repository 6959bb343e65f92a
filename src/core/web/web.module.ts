import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { BankAccountMaskInterceptor } from '../privacy/bank-account.interceptor';
import { CsrfGuard } from './csrf';
import { ExtensionRegistry } from './discovery';
import { HomeController } from './home.controller';
import { InputSanityGuard } from './input-sanity.guard';

@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [HomeController],
  providers: [ExtensionRegistry, { provide: APP_GUARD, useClass: CsrfGuard }, { provide: APP_GUARD, useClass: InputSanityGuard },
    { provide: APP_INTERCEPTOR, useClass: BankAccountMaskInterceptor }],
  exports: [ExtensionRegistry],
})
export class WebModule {}
