import { CallHandler, ExecutionContext, ForbiddenException, mixin, NestInterceptor, Type } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { Request } from 'express';
import { csrf } from './csrf';

/**
 * The one file-upload interceptor: field `file`, a size limit, file names read as UTF-8 (multer's default, latin1,
 * turns "应计酬金.csv" into mojibake) — and the CSRF check of a multipart form, whose `_csrf` field (sent first) is
 * only readable once multer has parsed the body: a bad token is refused before the handler sees the file.
 */
export function uploadInterceptor(maxBytes: number, options: MulterOptions = {}, field = 'file'): Type<NestInterceptor> {
  const Multer = FileInterceptor(field, { limits: { fileSize: maxBytes }, defParamCharset: 'utf8', ...options } as MulterOptions);
  class UploadWithCsrf implements NestInterceptor {
    static readonly checksCsrf = true;
    private readonly multer = new (Multer as unknown as new () => NestInterceptor)();
    intercept(context: ExecutionContext, next: CallHandler) {
      const req = context.switchToHttp().getRequest<Request>();
      return this.multer.intercept(context, {
        handle: () => {
          if (req.csrfDeferred && !csrf.isRequestValid(req)) throw new ForbiddenException('errors:http.csrf');
          if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)._csrf;
          return next.handle();
        },
      });
    }
  }
  return mixin(UploadWithCsrf);
}
