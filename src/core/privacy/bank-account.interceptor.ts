import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request } from 'express';
import { map, Observable } from 'rxjs';
import { Actor } from '../auth/actor';
import { maskBankAccounts } from './bank-account.util';

/** One place decides who sees a bank account in full, for every route (JSON answers and page models alike). */
@Injectable()
export class BankAccountMaskInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const actor = (ctx.switchToHttp().getRequest<Request>().user ?? null) as Actor | null;
    return next.handle().pipe(map((body) => maskBankAccounts(body, actor)));
  }
}
