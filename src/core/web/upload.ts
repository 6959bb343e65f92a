import { FileInterceptor } from '@nestjs/platform-express';
import { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';

/**
 * The one file-upload interceptor: field `file`, a size limit, and file names read as UTF-8 (multer's default,
 * latin1, turns "应计酬金.csv" into mojibake).
 */
export function uploadInterceptor(maxBytes: number) {
  return FileInterceptor('file', { limits: { fileSize: maxBytes }, defParamCharset: 'utf8' } as MulterOptions);
}
