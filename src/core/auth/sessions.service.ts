import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Request } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';

/** What a signed-in session remembers about itself, for its owner's list of sessions and the absolute lifetime. */
export interface SessionMeta { createdAt: number; ip: string; userAgent: string; mfaPending?: boolean }

declare module 'express-session' {
  interface SessionData { meta?: SessionMeta }
}

export interface SessionView { id: string; createdAt: Date | null; lastSeenAt: Date; ip: string; userAgent: string; current: boolean }

/** An id for a session that is not its secret: the first 16 hex digits of the sid's SHA-256. */
const PUBLIC_ID = `left(encode(sha256(convert_to(s.sid, 'UTF8')), 'hex'), 16)`;

/** A user's own sessions (rows of http_session whose passport user is them): listed, and ended one by one or all. */
@Injectable()
export class SessionsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly config: AppConfig) {}

  /** Called right after sign-in, on the new session. */
  static stamp(req: Request): void {
    if (!req.session) return;
    req.session.meta = { createdAt: Date.now(), ip: String(req.ip ?? '').slice(0, 64), userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300) };
  }

  async list(userId: number, currentSid: string): Promise<SessionView[]> {
    const ttlMs = this.config.get('SESSION_TTL_MINUTES') * 60_000;
    // expire is a timestamp without time zone written through the connection's zone: read back the same way
    const rows: { id: string; sid: string; sess: Record<string, unknown> | string; expireMs: string }[] = await this.db.query(
      `SELECT ${PUBLIC_ID} AS id, s.sid, s.sess, (extract(epoch FROM s.expire::timestamptz) * 1000)::bigint AS "expireMs" FROM http_session s
        WHERE (s.sess::jsonb -> 'passport' ->> 'user') = $1 AND s.expire >= now() ORDER BY s.expire DESC`, [String(userId)]);
    return rows.map((r) => {
      const sess = (typeof r.sess === 'string' ? JSON.parse(r.sess) : r.sess) as { meta?: SessionMeta };
      const meta = sess.meta;
      return {
        id: r.id, createdAt: meta?.createdAt ? new Date(meta.createdAt) : null,
        // the stored expiry is the last activity + the idle lifetime (written at most once a minute)
        lastSeenAt: new Date(Number(r.expireMs) - ttlMs),
        ip: meta?.ip ?? '', userAgent: meta?.userAgent ?? '', current: r.sid === currentSid,
      };
    });
  }

  /** Ends one of the user's sessions (never the current one: that is "sign out"); false when there is no such session. */
  async end(userId: number, publicId: string, currentSid: string): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(publicId)) return false;
    const res = await this.db.query(
      `DELETE FROM http_session s WHERE (s.sess::jsonb -> 'passport' ->> 'user') = $1 AND ${PUBLIC_ID} = $2 AND s.sid <> $3 RETURNING s.sid`,
      [String(userId), publicId, currentSid]);
    return countOf(res) > 0;
  }

  async endOthers(userId: number, currentSid: string): Promise<number> {
    const res = await this.db.query(
      `DELETE FROM http_session s WHERE (s.sess::jsonb -> 'passport' ->> 'user') = $1 AND s.sid <> $2 RETURNING s.sid`, [String(userId), currentSid]);
    return countOf(res);
  }
}

function countOf(res: unknown): number {
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[1];
  return Array.isArray(res) ? res.length : 0;
}
