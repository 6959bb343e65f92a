import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface RateDecision { allowed: boolean; hits: number; retryAfterSeconds: number }

/**
 * A fixed-window counter per key in PostgreSQL (table rate_limit): one statement counts the hit and says whether it is
 * within the limit, so the limit holds across processes and hosts and under parallel requests.
 */
@Injectable()
export class RateLimitService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const [row] = await this.db.query(
      `INSERT INTO rate_limit AS r (key, hits, window_start) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE r.hits + 1 END,
         window_start = CASE WHEN r.window_start <= now() - make_interval(secs => $2) THEN now() ELSE r.window_start END
       RETURNING hits, ceil(extract(epoch FROM r.window_start + make_interval(secs => $2) - now()))::int AS "retryAfter"`,
      [key.slice(0, 200), windowSeconds]);
    return { allowed: row.hits <= limit, hits: row.hits, retryAfterSeconds: Math.max(1, Number(row.retryAfter)) };
  }

  /** Forgets old windows (called now and then; a stale row is harmless either way). */
  async prune(olderThanSeconds = 86_400): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit WHERE window_start < now() - make_interval(secs => $1)`, [olderThanSeconds]);
  }
}
