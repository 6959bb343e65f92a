import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor } from './actor';

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest().user);
