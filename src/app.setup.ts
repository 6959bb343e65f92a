import { LoggerService } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { join } from 'node:path';
import passport from 'passport';
import { Pool } from 'pg';
import { AppConfig } from './core/config/app-config.service';
import { absoluteSessionLifetime, requireSecondFactor } from './core/auth/session-rules';
import { attachActor, sessionUser, sessionWithActorSql } from './core/auth/session-actor';
import { UsersService } from './core/auth/users.service';
import { PreparedQueries } from './core/database/prepared-queries';
import { PROJECT_ROOT } from './core/paths';
import { csrf } from './core/web/csrf';
import { languageMiddleware } from './core/i18n/language.middleware';
import { formStateMiddleware } from './core/web/form-state';
import { plainQuery } from './core/web/list-query';
import { PortalValidationPipe } from './core/web/validation.pipe';
import { flashMiddleware, saveSessionBeforeRedirect } from './core/web/flash';
import { registerViewHelpers, VIEWS_DIR } from './core/web/hbs-helpers';
import { AllExceptionsFilter } from './core/web/http-exception.filter';
import { navFor } from './core/web/nav';
import { sessionSecret } from './core/web/session-secret';
import { createSessionStore } from './core/web/session-store';
import { limitBodyDepth } from './core/web/body-depth';

/** Nest's start-up chatter (one line per module and per route) goes to debug: the start-up log stays short. */
const STARTUP_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer', 'InstanceLoader', 'NestFactory', 'NestApplication']);
function quietStartup(logger: PinoLogger): LoggerService {
  return {
    log: (message: unknown, ...rest: unknown[]) => (STARTUP_CONTEXTS.has(String(rest[rest.length - 1])) ? logger.debug(message, ...rest) : logger.log(message, ...rest)),
    error: (message: unknown, ...rest: unknown[]) => logger.error(message, ...rest),
    warn: (message: unknown, ...rest: unknown[]) => logger.warn(message, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => logger.debug(message, ...rest),
    verbose: (message: unknown, ...rest: unknown[]) => logger.verbose(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]) => logger.fatal(message, ...rest),
  };
}

/** Everything main.ts and the tests share: security headers, sessions, CSRF, views, validation, errors, API docs. */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  if (config.get('TRUST_PROXY')) app.set('trust proxy', 1);
  app.useLogger(quietStartup(app.get(PinoLogger)));
  app.disable('x-powered-by');
  app.use(helmet({
    // same-origin keeps the Referer on our own form posts, so a refused form returns to itself with the reason
    referrerPolicy: { policy: 'same-origin' },
    contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
  }));
  // the machine API's accrual import streams its own body (up to 1,000,000 lines): the JSON parser leaves it alone
  app.useBodyParser('json', { limit: '1mb', type: (req: { url?: string; headers: Record<string, string | string[] | undefined> }) => /^application\/json\s*(;|$)/i.test(String(req.headers['content-type'] ?? '')) && !req.url?.startsWith('/api/v1/accruals') });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: true });
  app.use(limitBodyDepth);
  app.useStaticAssets(join(PROJECT_ROOT, 'views', 'public'), { prefix: '/public/' });

  const users = app.get(UsersService);
  const ttlMs = config.get('SESSION_TTL_MINUTES') * 60_000;
  app.use(session({
    name: 'portal.sid',
    store: createSessionStore({
      pool: app.get(PreparedQueries).asPool() as Pool, tableName: 'http_session', createTableIfMissing: false, pruneSessionInterval: config.isTest ? false : 15 * 60,
      touchEveryMs: Math.min(60_000, ttlMs / 10),
      load: { sql: sessionWithActorSql('http_session'), onRow: (sess, row) => attachActor(sess as never, row as never) },
    }),
    secret: sessionSecret(config),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.get('COOKIE_SECURE'), maxAge: ttlMs },
  }));
  app.use(absoluteSessionLifetime(config.get('SESSION_ABSOLUTE_HOURS')));
  app.use(passport.initialize());
  app.use(sessionUser((id) => users.findActor(id)));
  app.use(languageMiddleware);
  app.use(flashMiddleware);
  app.use(saveSessionBeforeRedirect);
  app.use(formStateMiddleware);
  app.use(requireSecondFactor(config.get('REQUIRE_MFA_FOR')));
  app.use((req: Request, res: Response, next: NextFunction) => {
    req.csrfToken = (overwrite?: boolean) => csrf.generateToken(req, overwrite);
    // pages for visitors who are not signed in create no session: their forms are checked by origin (see CsrfGuard)
    Object.defineProperty(res.locals, 'csrfToken', { enumerable: true, configurable: true, get: () => (req.user || req.session?.csrfToken ? req.csrfToken!() : '') });
    res.locals.currentUser = req.user;
    // built only when a page renders (API calls never need it)
    Object.defineProperty(res.locals, 'nav', { enumerable: true, configurable: true, get: () => navFor((req.user as { role?: never } | undefined)?.role, req.path) });
    res.locals.currentPath = req.path;
    res.locals.currentQuery = plainQuery(req.query as Record<string, unknown>);
    res.locals.currentUrl = req.originalUrl;
    next();
  });

  registerViewHelpers();
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');

  app.useGlobalPipes(new PortalValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  // signed-in pages and answers hold someone's data: never kept by a browser or a proxy cache
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.user) res.setHeader('Cache-Control', 'no-store');
    next();
  });

  if (!(config.get('API_DOCS') ?? !config.isProduction)) return;
  const doc = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Partner Portal API')
    .setDescription('Session-cookie authenticated JSON API. State-changing calls need the x-csrf-token header (GET /api/auth/csrf).')
    .setVersion('1')
    .addCookieAuth('portal.sid')
    // the machine API /api/v1 (service accounts): Authorization: Bearer ppt_…, no cookie, no CSRF; errors as RFC 9457 problem details
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Service token of a service account (/admin/integrations)' }, 'bearer')
    .build());
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
