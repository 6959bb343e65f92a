import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { CsvImportError, formatRowError } from '../csv/csv.util';
import { DEFAULT_LANGUAGE, Language, tDeep } from '../i18n/i18n';
import { chooseLanguage } from '../i18n/language.middleware';
import { dbErrorAnswer } from './db-error.util';
import { ApiErrorBody, FieldError, RuleViolation } from './errors';
import { rememberRefusedForm } from './form-state';

const PG_CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

/** Nest's own English messages for its built-in refusals, mapped to catalogue keys. */
const NEST_MESSAGES: [RegExp, string][] = [
  [/^Validation failed \(numeric string is expected\)$/, 'errors:http.notANumber'],
  [/^Cannot (GET|POST|PUT|PATCH|DELETE) /, 'errors:http.noSuchPage'],
  [/^Forbidden resource$/, 'errors:http.forbidden'],
  [/^Unauthorized$/, 'errors:http.unauthorized'],
  [/^Not Found$/, 'errors:http.notFound'],
  [/^Too Many Requests$|ThrottlerException/, 'errors:http.tooMany'],
  [/^(File too large|request entity too large)$/i, 'errors:http.tooLarge'],
  [/^Unexpected field|^Unexpected end of form|^Multipart: /, 'errors:http.badUpload'],
  [/^Bad Request$/, 'errors:http.badRequest'],
];

/** `fromDatabase`: the answer stands for a database refusal, whose text went to the log under the request id */
type RawBody = ApiErrorBody & { params?: Record<string, unknown>; fromDatabase?: boolean };

/** Any error as the API's error body, messages still as keys (translated by translateBody). */
export function rawErrorBody(err: unknown): RawBody {
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const resp = err.getResponse() as string | { message?: string | string[]; errors?: FieldError[]; field?: string; rows?: ApiErrorBody['rows']; params?: Record<string, unknown> };
    const raw = typeof resp === 'string' ? resp : resp.message;
    const params = typeof resp === 'object' ? resp.params : undefined;
    const errors = typeof resp === 'object' && resp.errors ? resp.errors
      : typeof resp === 'object' && resp.field ? [{ field: resp.field, message: String(raw), params }] : undefined;
    let message = Array.isArray(raw) ? raw.join('; ') : raw ?? err.message;
    message = NEST_MESSAGES.find(([re]) => re.test(message))?.[1] ?? message;
    return { statusCode: status, error: HttpStatus[status] ?? 'Error', message, params, ...(errors ? { errors } : {}), ...(typeof resp === 'object' && resp.rows ? { rows: resp.rows } : {}) };
  }
  if (err instanceof CsvImportError) {
    return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: err.message, params: err.params, rows: err.errors };
  }
  if (err instanceof RuleViolation) {
    return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: err.message, params: err.params, ...(err.field ? { errors: [{ field: err.field, message: err.message, params: err.params }] } : {}) };
  }
  const code = (err as { code?: string })?.code ?? (err as { driverError?: { code?: string } })?.driverError?.code;
  if (err instanceof QueryFailedError || code) {
    const answer = dbErrorAnswer({ code, ...((err as { driverError?: object })?.driverError ?? (err as object)) });
    if (answer) return { ...answer, fromDatabase: true };
    if (PG_CONNECTION_CODES.has(code ?? '')) return { statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: 'errors:db.unavailable' };
  }
  if (/Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test((err as Error)?.message ?? '')) {
    return { statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: 'errors:db.unavailable' };
  }
  return { statusCode: 500, error: 'INTERNAL_SERVER_ERROR', message: 'errors:http.internal' };
}

/** The error body in a language: every message key (and the row and field messages) translated. */
export function translateBody(body: RawBody, lang: Language): ApiErrorBody {
  const tr = (key: string, params?: Record<string, unknown>) => tDeep(lang, key, params);
  const { params, fromDatabase: _db, ...rest } = body;
  return {
    ...rest,
    message: tr(body.message, params),
    ...(body.errors ? { errors: body.errors.map((e) => ({ field: e.field, message: tr(e.message, e.params) })) } : {}),
    ...(body.rows ? { rows: body.rows.map((r) => ({ row: r.row, column: r.column, message: tr(r.message, (r as { params?: Record<string, unknown> }).params) })) } : {}),
  };
}

/** Any error as the API's JSON error body, in a language (zh-CN unless told). */
export function toErrorBody(err: unknown, lang: Language = DEFAULT_LANGUAGE): ApiErrorBody {
  return translateBody(rawErrorBody(err), lang);
}

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/health' || (!!req.headers.accept?.includes('application/json') && !req.headers.accept?.includes('text/html'));
}

/**
 * Routes under a path prefix that answer errors in a shape of their own (the machine API's problem details): a module
 * registers its filter here at start, so errors raised before any of its routes is reached — an unknown path, a body
 * that is not JSON, a body too large — are answered in that shape too, not only those its controllers raise.
 */
const ERROR_SHAPES: { prefix: string; filter: ExceptionFilter }[] = [];
export function answerErrorsUnder(prefix: string, filter: ExceptionFilter): void {
  if (!ERROR_SHAPES.some((s) => s.prefix === prefix)) ERROR_SHAPES.push({ prefix, filter });
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const shape = ERROR_SHAPES.find((s) => req.path === s.prefix || req.path.startsWith(`${s.prefix}/`));
    if (shape) return shape.filter.catch(err, host);
    // an error raised before the language middleware ran (e.g. by the body parser) still answers in the asked language
    const lang = req.lang ?? chooseLanguage(req) ?? DEFAULT_LANGUAGE;
    if (!req.t) req.t = (key, params) => tDeep(lang, key, params);
    const raw = rawErrorBody(err);
    const body = translateBody(raw, lang);
    // the detail stays in the log; the person gets the request id to quote (the same id as the request's log line)
    const requestId = body.statusCode >= 500 || raw.fromDatabase ? String(req.id ?? '') : '';
    if (requestId) body.requestId = requestId;
    const detail = (err as { driverError?: { detail?: string } })?.driverError?.detail;
    if (body.statusCode >= 500) this.logger.error(`[request ${requestId}] ${req.method} ${req.path}: ${(err as Error)?.stack ?? String(err)}`);
    else if (raw.fromDatabase || (err as { driverError?: unknown })?.driverError || err instanceof QueryFailedError) this.logger.warn(`[request ${requestId}] ${req.method} ${req.path}: ${(err as Error).message}${detail ? ` (${detail})` : ''}`);
    if (res.headersSent) return;
    if (req.path === '/health' && err instanceof HttpException) {
      // keep terminus' own report (which check is down) for monitoring tools
      res.status(err.getStatus()).json(err.getResponse());
      return;
    }
    if (wantsJson(req)) {
      res.status(body.statusCode).json(body);
      return;
    }
    // A sub-resource (image, script, favicon) gets a plain answer: rendering the layout would consume the
    // one-time flash messages meant for the page the person is looking at.
    const dest = req.headers['sec-fetch-dest'];
    if (dest && dest !== 'document' && dest !== 'iframe') {
      res.status(body.statusCode).type('text/plain').send(body.message);
      return;
    }
    if (body.statusCode === 401 && req.method === 'GET') {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    // A refused form post goes back to the form with the reason and what was typed (post/redirect/get); nothing was changed.
    const back = req.get('referer');
    if (req.method !== 'GET' && req.session && [400, 401, 404, 409, 413, 422, 429].includes(body.statusCode)) {
      const target = back && sameOrigin(back, req) ? new URL(back) : null;
      const fieldMessages = body.errors ?? [];
      const rowLines = raw.rows?.slice(0, 20).map((r) => formatRowError(r, (k, p) => tDeep(lang, k, p)));
      if (target) rememberRefusedForm(req, target.pathname, fieldMessages);
      const summary = (fieldMessages.length ? req.t('common:form.fixFields', { count: fieldMessages.length }) : body.message)
        + (requestId ? ` ${req.t('errors:page.reference', { id: requestId })}` : '');
      const detail = fieldMessages.length && !target ? fieldMessages.map((e) => e.message).join('；') : rowLines?.join('\n');
      req.flash('error', detail && !summary.includes(detail) ? `${summary}\n${detail}` : summary);
      res.redirect(303, target ? target.pathname + target.search : '/');
      return;
    }
    res.status(body.statusCode).render('errors/error', {
      title: req.t('errors:page.title', { status: body.statusCode }), status: body.statusCode, message: body.message, rows: body.rows, requestId,
    });
  }
}

function sameOrigin(url: string, req: Request): boolean {
  try {
    return new URL(url).host === req.get('host');
  } catch {
    return false;
  }
}
