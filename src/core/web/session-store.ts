import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';

/**
 * Sessions in PostgreSQL (table http_session), with the idle-expiry refresh throttled: express-session "touches"
 * the stored session on every request it does not save, which made every API call a database write. A session
 * is touched at most once per `touchEveryMs` per process; the stored expiry can therefore lag the last request by
 * at most that long, which is well inside any idle timeout we allow (minutes).
 */
export function createSessionStore(options: ConstructorParameters<ReturnType<typeof connectPgSimple>>[0] & {
  touchEveryMs: number;
  /** Optional lookup replacing the plain session read: `sql` selects `sess` (+ anything else) for $1 sid, $2 now in
   *  epoch seconds; `onRow` may hang what else it read on the session before express-session sees it. */
  load?: { sql: string; onRow(sess: session.SessionData, row: Record<string, unknown>): void };
}) {
  const PgStore = connectPgSimple(session);
  const { touchEveryMs, load, ...pgOptions } = options;
  const lastWrite = new Map<string, number>();

  class ThrottledPgStore extends PgStore {
    override get(sid: string, fn: (err: unknown, sess?: session.SessionData | null) => void): void {
      if (!load) return super.get(sid, fn);
      options.pool!.query(load.sql, [sid, Math.ceil(Date.now() / 1000)]).then(({ rows: [row] }) => {
        let sess: session.SessionData | null = null;
        try {
          if (row) {
            sess = (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) as session.SessionData;
            load.onRow(sess, row);
          }
        } catch (err) {
          return fn(err); // a session row we cannot read is an error, never a silent sign-out
        }
        fn(null, sess);
      }, fn);
    }

    override set(sid: string, sess: session.SessionData, fn?: (err?: unknown) => void): void {
      noteWrite(lastWrite, sid, Date.now(), touchEveryMs);
      super.set(sid, sess, fn);
    }

    override touch(sid: string, sess: session.SessionData, fn?: (err?: unknown) => void): void {
      const now = Date.now();
      if (!touchDue(lastWrite.get(sid), now, touchEveryMs)) return void fn?.();
      noteWrite(lastWrite, sid, now, touchEveryMs);
      super.touch(sid, sess, fn);
    }

    override destroy(sid: string, fn?: (err?: unknown) => void): void {
      lastWrite.delete(sid);
      super.destroy(sid, fn);
    }
  }
  return new ThrottledPgStore(pgOptions);
}

/** A touch is due when this process has not written the session's expiry within the interval. */
export function touchDue(lastWriteMs: number | undefined, nowMs: number, everyMs: number): boolean {
  return lastWriteMs === undefined || nowMs - lastWriteMs >= everyMs;
}

const PRUNE_ABOVE = 50_000;

/** Remembers the write; forgets entries too old to matter once the map grows, so memory stays bounded. */
export function noteWrite(lastWrite: Map<string, number>, sid: string, nowMs: number, everyMs: number): void {
  lastWrite.set(sid, nowMs);
  if (lastWrite.size <= PRUNE_ABOVE) return;
  for (const [key, at] of lastWrite) if (nowMs - at >= everyMs) lastWrite.delete(key);
}
