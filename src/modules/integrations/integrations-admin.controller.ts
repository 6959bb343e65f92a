import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { AccountForm, RotateForm, TokenForm, WebhookForm } from './integrations-forms.dto';
import { ServiceAccountsService } from './service-accounts.service';
import { SCOPES } from './token.util';
import { WEBHOOK_EVENTS } from './webhook-events';
import { WebhooksService } from './webhooks.service';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** /admin/integrations (admin): service accounts, their tokens (shown once) and webhooks, deliveries with replay. */
@ApiExcludeController()
@Controller('admin/integrations')
@Roles('admin')
export class IntegrationsAdminController {
  constructor(private readonly accounts: ServiceAccountsService, private readonly webhooks: WebhooksService) {}

  @Get()
  @Render('integrations/index')
  async index() {
    return { title: 'integrations:title', accounts: await this.accounts.list() };
  }

  @Post()
  async create(@CurrentUser() actor: Actor, @Body() body: AccountForm, @Req() req: Request, @Res() res: Response) {
    const a = await this.accounts.create(actor, { name: body.name, owner: body.owner, purpose: body.purpose });
    req.flash('success', 'integrations:flash.created', { name: a.name });
    res.redirect(303, `/admin/integrations/${a.id}`);
  }

  @Get('deliveries')
  @Render('integrations/deliveries')
  async deliveries() {
    return { title: 'integrations:deliveries.title', deliveries: await this.webhooks.deliveries() };
  }

  @Post('deliveries/:deliveryId/replay')
  async replay(@CurrentUser() actor: Actor, @Param('deliveryId', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    await this.webhooks.replay(actor, String(id));
    req.flash('success', 'integrations:flash.replayed', { id });
    res.redirect(303, '/admin/integrations/deliveries');
  }

  @Get(':id')
  @Render('integrations/account')
  account(@Param('id', ParseIntPipe) id: number) {
    return this.accountView(id);
  }

  /** The new token is rendered in this answer only (never stored, never in a redirect or flash). */
  @Post(':id/tokens')
  @Render('integrations/account')
  async issue(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: TokenForm, @Res({ passthrough: true }) res: Response) {
    const t = await this.accounts.issue(actor, id, { scopes: list(body.scopes), days: body.days ? Number(body.days) : undefined, ratePerMinute: body.ratePerMinute ? Number(body.ratePerMinute) : undefined });
    res.setHeader('Cache-Control', 'no-store');
    return { ...(await this.accountView(id)), shownOnce: { kind: 'token', value: t.token } };
  }

  @Post(':id/tokens/:tokenId/rotate')
  @Render('integrations/account')
  async rotate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('tokenId', ParseIntPipe) tokenId: number, @Body() body: RotateForm, @Res({ passthrough: true }) res: Response) {
    const t = await this.accounts.rotate(actor, tokenId, Number(body.overlapHours ?? 24));
    res.setHeader('Cache-Control', 'no-store');
    return { ...(await this.accountView(id)), shownOnce: { kind: 'token', value: t.token } };
  }

  @Post(':id/tokens/:tokenId/revoke')
  async revoke(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('tokenId', ParseIntPipe) tokenId: number, @Req() req: Request, @Res() res: Response) {
    await this.accounts.revoke(actor, tokenId);
    req.flash('success', 'integrations:flash.revoked');
    res.redirect(303, `/admin/integrations/${id}`);
  }

  @Post(':id/webhooks')
  @Render('integrations/account')
  async subscribe(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: WebhookForm, @Res({ passthrough: true }) res: Response) {
    const s = await this.webhooks.subscribe(actor, id, { url: String(body.url ?? ''), events: list(body.events) });
    res.setHeader('Cache-Control', 'no-store');
    return { ...(await this.accountView(id)), shownOnce: { kind: 'secret', value: s.secret } };
  }

  @Post(':id/webhooks/:subId/disable')
  async disable(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('subId', ParseIntPipe) subId: number, @Req() req: Request, @Res() res: Response) {
    await this.webhooks.unsubscribe(actor, id, subId);
    req.flash('success', 'integrations:flash.unsubscribed');
    res.redirect(303, `/admin/integrations/${id}`);
  }

  private async accountView(id: number) {
    const account = await this.accounts.get(id);
    const now = Date.now();
    const tokens = (await this.accounts.tokens(id)).map((t) => ({
      ...t, state: t.revoked_at ? 'revoked' : new Date(t.expires_at).getTime() <= now ? 'expired' : t.replaced_by ? 'rotating' : 'valid',
    }));
    return {
      title: 'integrations:account.title', account, tokens, events: WEBHOOK_EVENTS,
      scopes: SCOPES.map((value) => ({ value, label: `integrations:scope.${value.replace(':', '_')}` })),
      subscriptions: await this.webhooks.subscriptions(id), deliveries: await this.webhooks.deliveries({ accountId: id, limit: 20 }),
    };
  }
}
