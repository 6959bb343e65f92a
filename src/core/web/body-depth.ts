import { BadRequestException } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';

/** No form or API body of the portal nests deeper than this; anything deeper is hostile. */
export const MAX_BODY_DEPTH = 32;

/** True when the value nests deeper than `max` (iterative: a 10,000-level body cannot overflow the stack here). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Refuses over-deep bodies right after parsing, before guards, pipes or services walk them recursively. */
export function limitBodyDepth(req: Request, _res: Response, next: NextFunction): void {
  if (nestsDeeperThan(req.body, MAX_BODY_DEPTH)) return next(new BadRequestException({ message: 'errors:input.tooDeep', params: { max: MAX_BODY_DEPTH } }));
  next();
}
