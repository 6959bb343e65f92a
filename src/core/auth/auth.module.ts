import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountController } from './account.controller';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { MfaService } from './mfa.service';
import { PublicRateGuard } from './public-rate.guard';
import { RateLimitService } from './rate-limit.service';
import { RegionScopeService } from './region-scope.service';
import { SessionsService } from './sessions.service';
import { LocalStrategy } from './local.strategy';
import { LoginThrottleService } from './login-throttle.service';
import { RolesGuard } from './roles.guard';
import { SessionSerializer } from './session.serializer';
import { UserAccount } from './user-account.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Global()
@Module({
  imports: [PassportModule.register({ session: true }), TypeOrmModule.forFeature([UserAccount])],
  controllers: [AuthController, UsersController, AccountController],
  providers: [UsersService, AccountsService, RegionScopeService, SessionsService, MfaService, RateLimitService, LoginThrottleService, LocalStrategy, SessionSerializer, { provide: APP_GUARD, useClass: RolesGuard }, { provide: APP_GUARD, useClass: PublicRateGuard }],
  exports: [UsersService, AccountsService, RateLimitService, MfaService, RegionScopeService],
})
export class AuthModule {}
