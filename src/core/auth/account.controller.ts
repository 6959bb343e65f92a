import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.service';
import { AccountsService, TokenKind } from './accounts.service';
import { Actor } from './actor';
import { CurrentUser } from './current-user.decorator';
import { ChangePasswordDto, ForgotPasswordDto, MfaCodeDto, SetPasswordDto } from './dto/create-user.dto';
import { MfaService } from './mfa.service';
import { MIN_PASSWORD_LENGTH } from './password-policy.util';
import { RateLimitService } from './rate-limit.service';
import { AllowWhileExiting, AnyRole, Public, Roles } from './roles.decorator';
import { SessionsService } from './sessions.service';

const LINK_PATH: Record<TokenKind, string> = { invite: 'invitation', reset: 'password/reset' };

/**
 * Fresh recovery codes are shown on the one page view after the POST that made them, then forgotten (only their
 * hashes are stored); that page is never cached.
 */
function takeNewCodes(req: Request, res: Response, enabled: boolean): string[] | undefined {
  const codes = enabled ? req.session.mfaNewCodes : undefined;
  if (req.session.mfaNewCodes) delete req.session.mfaNewCodes;
  if (codes) res.setHeader('Cache-Control', 'no-store');
  return codes;
}

/** The account page (password, sessions, second factor) and the public password pages (forgot, reset, invitation). */
@ApiTags('account')
@Controller()
export class AccountController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly mfa: MfaService,
    private readonly rate: RateLimitService,
    private readonly config: AppConfig,
  ) {}

  @Get('account')
  @AnyRole()
  @AllowWhileExiting()
  @Render('account/index')
  async page(@CurrentUser() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const mfa = await this.mfa.status(actor);
    return {
      title: 'account:title', minLength: MIN_PASSWORD_LENGTH,
      sessions: await this.sessions.list(actor.id, req.sessionID),
      mfa, newCodes: takeNewCodes(req, res, mfa.enabled),
    };
  }

  @Post('account/password')
  @AnyRole()
  @AllowWhileExiting()
  async changePassword(@CurrentUser() actor: Actor, @Body() dto: ChangePasswordDto, @Req() req: Request, @Res() res: Response) {
    const ended = await this.accounts.changePassword(actor, dto.currentPassword, dto.password, dto.passwordConfirm, req.sessionID);
    req.flash('success', 'account:flash.passwordChanged', { ended });
    res.redirect(303, '/account');
  }

  @Post('account/sessions/end-others')
  @AnyRole()
  @AllowWhileExiting()
  async endOthers(@CurrentUser() actor: Actor, @Req() req: Request, @Res() res: Response) {
    const ended = await this.sessions.endOthers(actor.id, req.sessionID);
    req.flash('success', 'account:flash.sessionsEnded', { ended });
    res.redirect(303, '/account');
  }

  @Post('account/sessions/:id/end')
  @AnyRole()
  @AllowWhileExiting()
  async endOne(@CurrentUser() actor: Actor, @Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    const ok = await this.sessions.end(actor.id, id, req.sessionID);
    req.flash(ok ? 'success' : 'error', ok ? 'account:flash.sessionEnded' : 'account:flash.noSuchSession');
    res.redirect(303, '/account');
  }

  @Get('account/mfa')
  @Roles('admin', 'channel_manager', 'finance')
  @Render('account/mfa')
  async mfaPage(@CurrentUser() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const status = await this.mfa.status(actor);
    const newCodes = takeNewCodes(req, res, status.enabled);
    return { title: 'account:mfa.title', status, newCodes, enrol: status.enabled ? null : await this.mfa.startEnrolment(actor, req.session) };
  }

  @Post('account/mfa/confirm')
  @Roles('admin', 'channel_manager', 'finance')
  async mfaConfirm(@CurrentUser() actor: Actor, @Body() dto: MfaCodeDto, @Req() req: Request, @Res() res: Response) {
    req.session.mfaNewCodes = await this.mfa.confirmEnrolment(actor, req.session, dto.code);
    req.flash('success', 'account:flash.mfaEnabled');
    res.redirect(303, '/account');
  }

  /** New recovery codes (needs a current TOTP code); the old ones stop working. */
  @Post('account/mfa/recovery-codes')
  @Roles('admin', 'channel_manager', 'finance')
  async mfaRegenerate(@CurrentUser() actor: Actor, @Body() dto: MfaCodeDto, @Req() req: Request, @Res() res: Response) {
    req.session.mfaNewCodes = await this.mfa.regenerateRecoveryCodes(actor, dto.code);
    req.flash('success', 'account:flash.mfaRecoveryRegenerated');
    res.redirect(303, '/account/mfa');
  }

  @Post('account/mfa/disable')
  @Roles('admin', 'channel_manager', 'finance')
  async mfaDisable(@CurrentUser() actor: Actor, @Body() dto: MfaCodeDto, @Req() req: Request, @Res() res: Response) {
    await this.mfa.disable(actor, dto.code);
    req.flash('success', 'account:flash.mfaDisabled');
    res.redirect(303, '/account');
  }

  @Get('password/forgot')
  @Public()
  @Render('auth/forgot')
  forgotPage() {
    return { title: 'auth:forgot.title', layoutBare: true };
  }

  /** The same page whether or not the name or address exists (no account discovery). */
  @Post('password/forgot')
  @Public()
  @HttpCode(200)
  @Render('auth/forgot-sent')
  async forgot(@Body() dto: ForgotPasswordDto, @Req() req: Request) {
    const ip = await this.rate.hit(`forgot-ip:${req.ip}`, 30, 3600);
    if (!ip.allowed) throw new HttpException({ message: 'auth:errors.tooManyRequests', params: { minutes: Math.ceil(ip.retryAfterSeconds / 60) } }, HttpStatus.TOO_MANY_REQUESTS);
    await this.accounts.requestReset(dto.login, String(req.ip ?? ''));
    return { title: 'auth:forgot.title', layoutBare: true };
  }

  @Get('password/reset/:token')
  @Public()
  resetPage(@Param('token') token: string, @Res() res: Response) {
    return this.linkPage('reset', token, res);
  }

  @Post('password/reset/:token')
  @Public()
  reset(@Param('token') token: string, @Body() dto: SetPasswordDto, @Req() req: Request, @Res() res: Response) {
    return this.useLink('reset', token, dto, req, res);
  }

  @Get('invitation/:token')
  @Public()
  invitationPage(@Param('token') token: string, @Res() res: Response) {
    return this.linkPage('invite', token, res);
  }

  @Post('invitation/:token')
  @Public()
  acceptInvitation(@Param('token') token: string, @Body() dto: SetPasswordDto, @Req() req: Request, @Res() res: Response) {
    return this.useLink('invite', token, dto, req, res);
  }

  private async linkPage(kind: TokenKind, token: string, res: Response) {
    const holder = await this.accounts.tokenHolder(token, kind);
    if (!holder) return res.status(404).render('auth/link-invalid', { title: 'auth:link.invalidTitle', layoutBare: true });
    // the page's own address holds the secret: sent as a Referer to this portal only (same-origin — with
    // no-referrer a browser posts the form with "Origin: null", which the visitors' origin check must refuse), never cached
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    res.render('auth/set-password', {
      title: kind === 'invite' ? 'auth:link.inviteTitle' : 'auth:link.resetTitle', layoutBare: true, kind,
      action: `/${LINK_PATH[kind]}/${token}`, username: holder.username, minLength: MIN_PASSWORD_LENGTH,
    });
  }

  private async useLink(kind: TokenKind, token: string, dto: SetPasswordDto, req: Request, res: Response) {
    await this.accounts.usePasswordLink(token, kind, dto.password, dto.passwordConfirm);
    req.flash('success', kind === 'invite' ? 'auth:link.inviteDone' : 'auth:link.resetDone');
    res.redirect(303, '/login');
  }
}
