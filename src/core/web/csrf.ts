import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { csrfSync } from 'csrf-sync';
import { Request } from 'express';
import { isServiceRoute } from '../auth/roles.decorator';
import { AppConfig } from '../config/app-config.service';

declare module 'express' {
  interface Request {
    /** a multipart form whose token is a body field: checked by the upload interceptor once multer has read the fields */
    csrfDeferred?: boolean;
  }
}

/**
 * Synchroniser-token CSRF protection (csrf-sync): the token lives in the server session and must come back in the
 * `_csrf` form field or the `x-csrf-token` header — never in the URL (URLs end up in logs and Referer headers).
 * Multipart forms carry `_csrf` as their first field; the upload interceptor checks it after multer has read it.
 */
export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) =>
    (req.body && typeof req.body === 'object' && typeof req.body._csrf === 'string' && req.body._csrf) || (req.headers['x-csrf-token'] as string),
});

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A visitor who is not signed in has no session yet, so no token (pages for them create no session): their forms
 * (sign-in, forgotten password, application, language) are accepted when the browser says they come from this site
 * (Origin, else Referer) — OWASP's standard-header check. Signed-in users always need the token.
 */
export function sameOrigin(req: Request, publicHost?: string): boolean {
  const source = (req.headers.origin as string | undefined) ?? (req.headers.referer as string | undefined);
  if (!source || source === 'null') return false;
  let host: string;
  try {
    host = new URL(source).host;
  } catch {
    return false;
  }
  // behind a proxy the Host header may be the proxy's upstream: the public address (PUBLIC_URL) counts too
  return host === req.headers.host || (!!publicHost && host === publicHost)
    || (!!req.app?.get('trust proxy') && host === String(req.headers['x-forwarded-host'] ?? '').split(',')[0].trim());
}

const isMultipart = (req: Request) => /^multipart\/form-data/i.test(String(req.headers['content-type'] ?? ''));

@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly publicHost: string;
  constructor(config: AppConfig) {
    this.publicHost = new URL(config.get('PUBLIC_URL')).host;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE.has(req.method)) return true;
    // bearer-token routes: the token is sent deliberately by a program, never by a browser on its own, so no CSRF
    if (isServiceRoute(context)) return true;
    if (!csrf.isRequestValid(req)) {
      if (!req.user && sameOrigin(req, this.publicHost)) return true;
      // a multipart body is read later: only a route whose upload interceptor checks the token may defer the check
      const interceptors = (Reflect.getMetadata(INTERCEPTORS_METADATA, context.getHandler()) ?? []) as { checksCsrf?: boolean }[];
      if (isMultipart(req) && !req.headers['x-csrf-token'] && interceptors.some((i) => i?.checksCsrf)) {
        req.csrfDeferred = true;
        return true;
      }
      throw new ForbiddenException('errors:http.csrf');
    }
    // the token has done its job: keep it out of DTO validation (forbidNonWhitelisted would refuse it)
    if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)._csrf;
    return true;
  }
}
