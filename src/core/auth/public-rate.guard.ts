import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { AppConfig } from '../config/app-config.service';
import { RateLimitService } from './rate-limit.service';

/** Public forms that write something, limited per address (PostgreSQL-backed, so the limit holds across processes). */
const LIMITED: { method: string; path: string; key: string }[] = [
  { method: 'POST', path: '/apply', key: 'apply' },
  { method: 'POST', path: '/api/onboarding/apply', key: 'apply' },
];

@Injectable()
export class PublicRateGuard implements CanActivate {
  constructor(private readonly rate: RateLimitService, private readonly config: AppConfig) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const rule = LIMITED.find((r) => r.method === req.method && r.path === req.path);
    if (!rule) return true;
    const d = await this.rate.hit(`${rule.key}:${req.ip}`, this.config.get('APPLY_MAX_PER_HOUR'), 3600);
    if (!d.allowed) throw new HttpException({ message: 'auth:errors.tooManyRequests', params: { minutes: Math.ceil(d.retryAfterSeconds / 60) } }, HttpStatus.TOO_MANY_REQUESTS);
    return true;
  }
}
