import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';

/** Counts failed sign-ins per account in the database, so a restart or a second instance does not reset it. */
@Injectable()
export class LoginThrottleService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly config: AppConfig) {}

  /** Minutes until the account may try again, or 0 when it may try now. */
  async lockedForMinutes(username: string): Promise<number> {
    const max = this.config.get('LOGIN_MAX_FAILURES');
    const windowMin = this.config.get('LOGIN_WINDOW_MINUTES');
    const rows: { failures: string; oldest: Date | null }[] = await this.db.query(
      `SELECT count(*) AS failures, min(at) AS oldest FROM (
         SELECT at FROM login_attempt
          WHERE lower(username) = lower($1) AND NOT succeeded AND at > now() - make_interval(mins => $2)
            AND at > coalesce((SELECT max(at) FROM login_attempt WHERE lower(username) = lower($1) AND succeeded), '-infinity')
          ORDER BY at DESC LIMIT $3) recent`,
      [username, windowMin, max]);
    if (Number(rows[0].failures) < max || !rows[0].oldest) return 0;
    const unlockAt = new Date(rows[0].oldest).getTime() + windowMin * 60_000;
    return Math.max(1, Math.ceil((unlockAt - Date.now()) / 60_000));
  }

  async record(username: string, succeeded: boolean, ip: string): Promise<void> {
    await this.db.query(`INSERT INTO login_attempt (username, succeeded, ip) VALUES ($1, $2, $3)`, [username.slice(0, 64), succeeded, ip.slice(0, 64)]);
  }
}
