import { Body, Controller, Get, HttpCode, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from './actor';
import { CurrentUser } from './current-user.decorator';
import { LoginDto } from './dto/create-user.dto';
import { LocalAuthGuard } from './local-auth.guard';
import { AllowWhileExiting, AnyRole, Public } from './roles.decorator';

/** Only same-site relative paths may be a post-login target (no open redirect). */
export function safeNext(next: unknown): string {
  const s = typeof next === 'string' ? next : '';
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(s) && !s.startsWith('/login') ? s : '/';
}

function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.logout((err) => (err ? reject(err) : req.session ? req.session.destroy((e) => (e ? reject(e) : resolve())) : resolve())));
}

@ApiTags('auth')
@Controller()
export class AuthController {
  @Get('login')
  @Public()
  @Render('auth/login')
  loginPage(@Req() req: Request, @Query('next') next?: string) {
    return { title: 'auth:login.title', next: safeNext(next), layoutBare: true };
  }

  @Post('login')
  @Public()
  @UseGuards(LocalAuthGuard)
  login(@Body('next') next: string, @Res() res: Response) {
    res.redirect(303, safeNext(next));
  }

  @Post('logout')
  @AnyRole()
  @AllowWhileExiting()
  async logout(@Req() req: Request, @Res() res: Response) {
    await endSession(req);
    res.clearCookie('portal.sid');
    res.redirect(303, '/login');
  }

  @Get('api/auth/csrf')
  @Public()
  csrf(@Req() req: Request) {
    return { token: req.csrfToken?.() };
  }

  @Post('api/auth/login')
  @Public()
  @HttpCode(200)
  @ApiBody({ type: LoginDto })
  @UseGuards(LocalAuthGuard)
  apiLogin(@CurrentUser() user: Actor, @Req() req: Request) {
    // a fresh session has a fresh CSRF token; hand it over so the client can continue
    return { user, csrfToken: req.csrfToken?.() };
  }

  @Post('api/auth/logout')
  @AnyRole()
  @AllowWhileExiting()
  @HttpCode(200)
  async apiLogout(@Req() req: Request) {
    await endSession(req);
    return { ok: true };
  }

  @Get('api/auth/me')
  @AnyRole()
  me(@CurrentUser() user: Actor) {
    return user;
  }
}
