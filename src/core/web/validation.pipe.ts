import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationFieldErrors } from '../i18n/validation-errors';

/**
 * The portal's validation: bodies are strict (unknown fields and bad values are refused, each with its field), while
 * query strings of lists are lenient — an unknown or malformed parameter (sort, page, filter) is dropped and the page
 * shows as if it had not been given, never a raw 400.
 */
export class PortalValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const list = validationFieldErrors(errors);
        // the summary is the first field's message; the filter translates each one into the reader's language
        return new BadRequestException({ message: list[0]?.message ?? 'errors:http.badRequest', params: list[0]?.params, errors: list });
      },
    });
  }

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (metadata.type !== 'query' || !metatype || !this.toValidate(metadata)) return super.transform(value, metadata);
    const plain = Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string'));
    let instance = plainToInstance(metatype, plain) as Record<string, unknown>;
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: false });
    if (errors.length) {
      for (const e of errors) delete plain[e.property];
      instance = plainToInstance(metatype, plain) as Record<string, unknown>;
      // values that still fail after the others were dropped (cross-field rules) are dropped too
      for (const e of await validate(instance, { whitelist: true })) delete instance[e.property];
    }
    return instance;
  }
}
