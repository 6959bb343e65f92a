import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, HttpException, HttpStatus, Injectable, SetMetadata, UnauthorizedException, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AuditService } from '../../core/audit/audit.service';
import { RateLimitService } from '../../core/auth/rate-limit.service';
import { SERVICE_SCOPE_KEY } from '../../core/auth/roles.decorator';
import { ProblemFilter } from './problem.filter';
import { ServiceAccountsService, serviceActor, ServicePrincipal } from './service-accounts.service';
import { bearerToken, Scope } from './token.util';

declare module 'express' {
  interface Request { service?: ServicePrincipal }
}

/**
 * Authenticates `Authorization: Bearer ppt_…` (never a cookie), checks the route's scope and the token's rate limit
 * (PostgreSQL-backed, so it holds across processes), and audits the call under the service account.
 */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(private readonly accounts: ServiceAccountsService, private readonly rate: RateLimitService, private readonly audit: AuditService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    // a session cookie that came along gives no authority here
    req.user = undefined;
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthorizedException({ message: 'integrations:errors.bearerRequired', code: 'unauthorized' });
    const principal = await this.accounts.authenticate(token, req.ip ?? '');
    if (!principal) throw new UnauthorizedException({ message: 'integrations:errors.tokenInvalid', code: 'invalid_token' });
    const needed = (Reflect.getMetadata(SERVICE_SCOPE_KEY, context.getHandler()) ?? Reflect.getMetadata(SERVICE_SCOPE_KEY, context.getClass())) as Scope[];
    if (!needed.some((s) => principal.scopes.includes(s))) {
      throw new ForbiddenException({ message: 'integrations:errors.scopeMissing', params: { scope: needed.join(' | ') }, code: 'insufficient_scope' });
    }
    const d = await this.rate.hit(`api-token:${principal.tokenId}`, principal.ratePerMinute, 60);
    res.setHeader('RateLimit-Limit', String(principal.ratePerMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, principal.ratePerMinute - d.hits)));
    if (!d.allowed) {
      res.setHeader('Retry-After', String(d.retryAfterSeconds));
      throw new HttpException({ message: 'integrations:errors.rateLimited', params: { seconds: d.retryAfterSeconds }, code: 'rate_limited' }, HttpStatus.TOO_MANY_REQUESTS);
    }
    req.service = principal;
    // the portal's one masking rule reads req.user: the payout system (payouts:read) sees bank accounts as finance does
    req.user = { ...serviceActor(principal), role: principal.scopes.includes('payouts:read') ? 'finance' : 'admin' };
    await this.audit.record(serviceActor(principal), { action: 'api.call', entityType: 'service_account', entityId: principal.accountId, after: { method: req.method, path: req.path, tokenId: principal.tokenId, ip: req.ip } });
    return true;
  }
}

/** A `/api/v1` route for service accounts holding (one of) these scopes: bearer only, problem-details errors. */
export const ServiceScope = (...scopes: Scope[]) =>
  applyDecorators(SetMetadata(SERVICE_SCOPE_KEY, scopes), UseGuards(BearerGuard), UseFilters(ProblemFilter), ApiBearerAuth(), ApiSecurity('bearer', scopes));

/** The service account behind the request. */
export const Service = createParamDecorator((_: unknown, ctx: ExecutionContext): ServicePrincipal => ctx.switchToHttp().getRequest<Request>().service!);
