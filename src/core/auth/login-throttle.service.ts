import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { RateLimitService } from './rate-limit.service';

export interface Gate { allowed: boolean; retryMinutes: number }

/** Unknown addresses together may try this many times the per-address limit before the account closes to them. */
export const ACCOUNT_LIMIT_FACTOR = 3;
const MAX_LOCK = '24 hours';

/**
 * Sign-in throttling, counted in PostgreSQL so it holds across processes:
 * - per (account, address): at most LOGIN_MAX_FAILURES attempts per LOGIN_WINDOW_MINUTES; the next one locks that pair
 *   for the window, doubling with each further lock (backoff) up to a day;
 * - per account, for addresses that never signed in to it ('*'): ACCOUNT_LIMIT_FACTOR times as many — so a crowd of
 *   addresses cannot guess for long, while the owner, from an address that has signed in before, is never locked out
 *   by them (and a reset by e-mail lifts every lock);
 * - per address, whatever the account: LOGIN_MAX_PER_IP per window.
 * An attempt is counted BEFORE its password is checked, in the same statement that decides whether it may proceed,
 * so parallel attempts cannot all slip under the limit while the slow hash check runs.
 */
@Injectable()
export class LoginThrottleService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly config: AppConfig, private readonly rate: RateLimitService) {}

  async begin(username: string, ip: string): Promise<Gate> {
    const windowMin = this.config.get('LOGIN_WINDOW_MINUTES');
    const perIp = await this.rate.hit(`login-ip:${ip}`, this.config.get('LOGIN_MAX_PER_IP'), windowMin * 60);
    if (!perIp.allowed) return { allowed: false, retryMinutes: Math.ceil(perIp.retryAfterSeconds / 60) };
    const max = this.config.get('LOGIN_MAX_FAILURES');
    const [row]: { locked: boolean; until: Date | null }[] = await this.db.query(
      `WITH known AS (
         SELECT EXISTS (SELECT 1 FROM login_attempt WHERE lower(username) = $1 AND ip = $2 AND succeeded) AS k
       ), up AS (
         INSERT INTO login_throttle AS t (username, scope, attempts, window_start)
         SELECT $1, s.scope, 1, now() FROM (VALUES ($2::varchar), ('*')) s(scope)
          WHERE s.scope <> '*' OR NOT (SELECT k FROM known)
         ON CONFLICT (username, scope) DO UPDATE SET
           attempts = CASE WHEN t.locked_until > now() THEN t.attempts
                           WHEN t.window_start <= now() - make_interval(mins => $3) THEN 1 ELSE t.attempts + 1 END,
           locked_until = CASE WHEN t.locked_until > now() THEN t.locked_until
                               WHEN t.window_start > now() - make_interval(mins => $3)
                                AND t.attempts + 1 > (CASE WHEN t.scope = '*' THEN $5::int ELSE $4::int END)
                               THEN now() + least(make_interval(mins => $3) * power(2, least(t.strikes, 10)), interval '${MAX_LOCK}')
                               ELSE NULL END,
           strikes = CASE WHEN coalesce(t.locked_until > now(), false) THEN t.strikes
                          WHEN t.window_start > now() - make_interval(mins => $3)
                           AND t.attempts + 1 > (CASE WHEN t.scope = '*' THEN $5::int ELSE $4::int END) THEN t.strikes + 1
                          ELSE t.strikes END,
           window_start = CASE WHEN t.locked_until > now() THEN t.window_start
                               WHEN t.window_start <= now() - make_interval(mins => $3) THEN now() ELSE t.window_start END
         RETURNING t.locked_until
       )
       SELECT coalesce(bool_or(locked_until > now()), false) AS locked, max(locked_until) AS until FROM up`,
      [username, ip.slice(0, 64), windowMin, max, max * ACCOUNT_LIMIT_FACTOR]);
    if (!row.locked) return { allowed: true, retryMinutes: 0 };
    return { allowed: false, retryMinutes: Math.max(1, Math.ceil((new Date(row.until!).getTime() - Date.now()) / 60_000)) };
  }

  /** The attempt's outcome, kept for history; a success makes the address known and clears its counter. */
  async finish(username: string, ip: string, succeeded: boolean): Promise<void> {
    await this.db.query(`INSERT INTO login_attempt (username, succeeded, ip) VALUES ($1, $2, $3)`, [username.slice(0, 64), succeeded, ip.slice(0, 64)]);
    if (succeeded) await this.db.query(`DELETE FROM login_throttle WHERE username = $1 AND scope = $2`, [username, ip.slice(0, 64)]);
  }
}
