import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { DEFAULT_LANGUAGE, tDeep } from '../../core/i18n/i18n';
import { chooseLanguage } from '../../core/i18n/language.middleware';
import { rawErrorBody } from '../../core/web/http-exception.filter';

/** One problem-details entry per refused field or line. */
export interface ProblemError { field?: string; line?: number; code: string; message: string }
export interface Problem { type: string; title: string; status: number; detail: string; code: string; instance?: string; errors?: ProblemError[] }

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large',
  415: 'unsupported_media_type', 422: 'validation_failed', 429: 'rate_limited', 503: 'unavailable',
};

/** Codes with a title of their own in the catalogue (integrations:problem.<code>). */
export const PROBLEM_CODES = new Set([...Object.values(CODE_BY_STATUS), 'invalid_token', 'insufficient_scope', 'idempotency_conflict', 'idempotency_in_progress', 'internal']);

/** A catalogue key's last segment is the machine code of a field or line error ("settlement:csv.badAmount" → badAmount). */
const codeOfKey = (key: string) => key.split(/[:.]/).pop() ?? 'invalid';

/**
 * RFC 9457 problem details (`application/problem+json`) for the machine API `/api/v1` only: `type`, `title`,
 * `status`, `detail`, a machine `code`, and `errors[{ field | line, code, message }]` (messages translated into the
 * caller's Accept-Language, zh-CN by default). Every other route keeps the portal's own error shape.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(err: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const lang = req.lang ?? chooseLanguage(req) ?? DEFAULT_LANGUAGE;
    const tr = (key: string, params?: Record<string, unknown>) => tDeep(lang, key, params);
    const raw = rawErrorBody(err);
    const given = err instanceof HttpException ? (err.getResponse() as { code?: string }).code : undefined;
    const code = typeof given === 'string' ? given : CODE_BY_STATUS[raw.statusCode] ?? (raw.statusCode >= 500 ? 'internal' : 'error');
    if (raw.statusCode >= 500) this.logger.error(`[request ${String(req.id ?? '')}] ${req.method} ${req.path}: ${(err as Error)?.stack ?? String(err)}`);
    const errors: ProblemError[] = [
      ...(raw.errors ?? []).map((e) => ({ field: e.field, code: codeOfKey(e.message), message: tr(e.message, e.params) })),
      ...(raw.rows ?? []).map((r) => ({ line: r.row, field: r.column, code: codeOfKey(r.message), message: tr(r.message, (r as { params?: Record<string, unknown> }).params) })),
    ];
    const problem: Problem = {
      type: `https://portal.example/problems/${code.replace(/_/g, '-')}`,
      title: tr(`integrations:problem.${PROBLEM_CODES.has(code) ? code : CODE_BY_STATUS[raw.statusCode] ?? 'internal'}`),
      status: raw.statusCode,
      detail: tr(raw.message, raw.params) + (raw.statusCode >= 500 ? ` (${String(req.id ?? '')})` : ''),
      code,
      instance: req.originalUrl,
      ...(errors.length ? { errors } : {}),
    };
    if (res.headersSent) return;
    res.status(raw.statusCode).type('application/problem+json').send(JSON.stringify(problem));
  }
}
