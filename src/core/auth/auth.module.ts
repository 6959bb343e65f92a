import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth.controller';
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
  controllers: [AuthController, UsersController],
  providers: [UsersService, LoginThrottleService, LocalStrategy, SessionSerializer, { provide: APP_GUARD, useClass: RolesGuard }],
  exports: [UsersService],
})
export class AuthModule {}
