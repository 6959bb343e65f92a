import { BadRequestException, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Request } from 'express';

/** Finds the first string holding a NUL character, with its field path (PostgreSQL text cannot store NUL). */
export function findNulField(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(value)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNulField(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = findNulField(v, path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return null;
}

/** Refuses input with NUL characters up front, naming the field, instead of failing deep in the database. */
@Injectable()
export class InputSanityGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const field = findNulField(req.body) ?? findNulField(req.query) ?? findNulField(req.params);
    if (field) throw new BadRequestException({ message: 'errors:input.nul', params: { field }, field });
    return true;
  }
}
