import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface StoredResult { status: number; body: unknown }
export interface IdempotencyRow { key: string; route: string; body_sha256: string; status: number | null; response: unknown }

/** `Idempotency-Key` (IETF draft): 1–200 visible ASCII characters. */
export const validIdempotencyKey = (k: unknown): k is string => typeof k === 'string' && /^[\x21-\x7e]{1,200}$/.test(k);

/**
 * Remembers, per service account and key, the hash of the request body and the first answer: the same key with the
 * same body gets that answer again (nothing is done twice), the same key with another body is refused (409).
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(accountId: number, key: string, m: EntityManager = this.db.manager): Promise<IdempotencyRow | null> {
    const [row] = await m.query(`SELECT key, route, body_sha256, status, response FROM api_idempotency WHERE service_account_id = $1 AND key = $2`, [accountId, key]);
    return row ?? null;
  }

  /** The stored answer for a repeated request, or a 409 when the body (or route) differs or the first is still running. */
  replay(row: IdempotencyRow, route: string, bodySha256: string): StoredResult {
    if (row.route !== route || row.body_sha256 !== bodySha256) {
      throw new ConflictException({ message: 'integrations:errors.idempotencyConflict', code: 'idempotency_conflict' });
    }
    if (row.status === null) throw new ConflictException({ message: 'integrations:errors.idempotencyInProgress', code: 'idempotency_in_progress' });
    return { status: row.status, body: row.response };
  }

  /** Claims the key inside the caller's transaction (a concurrent request with the key waits, then sees it). */
  async claim(m: EntityManager, accountId: number, key: string, route: string, bodySha256: string): Promise<boolean> {
    const rows = await m.query(`INSERT INTO api_idempotency (service_account_id, key, route, body_sha256) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
      [accountId, key, route, bodySha256]);
    return rows.length > 0;
  }

  async complete(m: EntityManager, accountId: number, key: string, result: StoredResult, bodySha256?: string): Promise<void> {
    await m.query(`UPDATE api_idempotency SET status = $3, response = $4, body_sha256 = coalesce($5, body_sha256) WHERE service_account_id = $1 AND key = $2`,
      [accountId, key, result.status, JSON.stringify(result.body), bodySha256 ?? null]);
  }

  /** Records a refusal outside the failed transaction, so a repeat gets the same refusal. */
  async remember(accountId: number, key: string, route: string, bodySha256: string, result: StoredResult): Promise<void> {
    await this.db.query(`INSERT INTO api_idempotency (service_account_id, key, route, body_sha256, status, response) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (service_account_id, key) DO UPDATE SET status = EXCLUDED.status, response = EXCLUDED.response, body_sha256 = EXCLUDED.body_sha256`,
      [accountId, key, route, bodySha256, result.status, JSON.stringify(result.body)]);
  }
}
