import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { CsvImportError, formatRowError } from '../csv/csv.util';
import { ApiErrorBody, FieldError, RuleViolation } from './errors';

const PG_CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

/** Turns any error into the API's JSON error body, or for pages into a flash message / error page. */
export function toErrorBody(err: unknown): ApiErrorBody {
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const resp = err.getResponse() as string | { message?: string | string[]; errors?: FieldError[]; field?: string; rows?: ApiErrorBody['rows'] };
    const raw = typeof resp === 'string' ? resp : resp.message;
    const errors = typeof resp === 'object' && resp.errors ? resp.errors
      : typeof resp === 'object' && resp.field ? [{ field: resp.field, message: String(raw) }] : undefined;
    const message = Array.isArray(raw) ? raw.join('; ') : raw ?? err.message;
    return { statusCode: status, error: HttpStatus[status] ?? 'Error', message, ...(errors ? { errors } : {}), ...(typeof resp === 'object' && resp.rows ? { rows: resp.rows } : {}) };
  }
  if (err instanceof CsvImportError) {
    return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: err.message, rows: err.errors };
  }
  if (err instanceof RuleViolation) {
    return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: err.message, ...(err.field ? { errors: [{ field: err.field, message: err.message }] } : {}) };
  }
  const code = (err as { code?: string })?.code ?? (err as { driverError?: { code?: string } })?.driverError?.code;
  if (err instanceof QueryFailedError || code) {
    if (code === '23505') {
      const detail = (err as { detail?: string }).detail ?? (err as { driverError?: { detail?: string } }).driverError?.detail ?? '';
      return { statusCode: 409, error: 'CONFLICT', message: `Already exists: ${detail || 'a record with the same key'}` };
    }
    if (code === '40001' || code === '40P01' || code === '55P03') return { statusCode: 409, error: 'CONFLICT', message: 'Someone else changed this at the same time; reload and try again.' };
    if (code === '23514' || code === '23503' || code === '23502') return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: `Refused by a data rule: ${(err as Error).message}` };
    if (code === '22P02' || code === '22003' || code === '22007' || code === '22008' || code === '22021' || code === '22001') return { statusCode: 400, error: 'BAD_REQUEST', message: `Invalid value: ${(err as Error).message}` };
    if (PG_CONNECTION_CODES.has(code ?? '')) return { statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: 'The database is not reachable right now; nothing was changed. Try again shortly.' };
  }
  if (/Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test((err as Error)?.message ?? '')) {
    return { statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: 'The database is not reachable right now; nothing was changed. Try again shortly.' };
  }
  return { statusCode: 500, error: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side; it has been logged.' };
}

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/health' || (!!req.headers.accept?.includes('application/json') && !req.headers.accept?.includes('text/html'));
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const body = toErrorBody(err);
    if (body.statusCode >= 500) this.logger.error(`${req.method} ${req.path}: ${(err as Error)?.stack ?? String(err)}`);
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
    // A refused form post goes back to the form with the reason (post/redirect/get), nothing was changed.
    const back = req.get('referer');
    if (req.method !== 'GET' && req.session && [400, 401, 404, 409, 413, 422, 429].includes(body.statusCode)) {
      const detail = body.errors?.map((e) => `${e.field}: ${e.message}`).join('; ')
        ?? body.rows?.slice(0, 20).map(formatRowError).join('\n');
      req.flash('error', detail && !body.message.includes(detail) ? `${body.message}\n${detail}` : body.message);
      res.redirect(303, back && sameOrigin(back, req) ? back : '/');
      return;
    }
    res.status(body.statusCode).render('errors/error', { title: `${body.statusCode} ${body.error}`, status: body.statusCode, message: body.message, rows: body.rows });
  }
}

function sameOrigin(url: string, req: Request): boolean {
  try {
    return new URL(url).host === req.get('host');
  } catch {
    return false;
  }
}
