import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { csrfSync } from 'csrf-sync';
import { Request } from 'express';

/**
 * Synchroniser-token CSRF protection (csrf-sync): the token lives in the server session and must come back
 * in the form field `_csrf`, the `x-csrf-token` header, or (for multipart uploads, whose body is read later)
 * the `_csrf` query parameter.
 */
export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) =>
    (req.body && typeof req.body === 'object' && req.body._csrf) || (req.headers['x-csrf-token'] as string) || (req.query?._csrf as string),
});

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE.has(req.method)) return true;
    if (!csrf.isRequestValid(req)) throw new ForbiddenException('errors:http.csrf');
    // the token has done its job: keep it out of DTO validation (forbidNonWhitelisted would refuse it)
    if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)._csrf;
    return true;
  }
}
