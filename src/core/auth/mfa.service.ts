import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config.service';
import { DEFAULT_LANGUAGE, normaliseLanguage, t } from '../i18n/i18n';
import { returnedRows } from './accounts.service';
import { Actor, Role } from './actor';
import { matchRecoveryCode, newRecoveryCodes } from './recovery-codes.util';
import { decryptSecret, encryptSecret, isEncryptedSecret, parseSecretKey } from './totp-secret.util';
import { UsersService } from './users.service';

declare module 'express-session' {
  // mfaNewCodes: fresh recovery codes between the POST that made them and the one page that shows them
  interface SessionData { mfaEnrolSecret?: string; mfaNewCodes?: string[] }
}

/** A TOTP code: 6 digits (spaces people type are ignored). */
export const normaliseCode = (code: unknown) => String(code ?? '').replace(/\s+/g, '');
const isTotpCode = (code: unknown) => /^\d{6}$/.test(normaliseCode(code));

/** How a second factor was given at sign-in; null: the user has none; false: wrong, spent or replayed. */
export type SecondFactor = null | false | 'totp' | 'recovery';
export interface MfaStatus { available: boolean; enabled: boolean; required: boolean; recoveryLeft: number }

/**
 * Optional second factor for staff (TOTP, RFC 6238, any authenticator app): enrol by scanning a QR code and
 * confirming one code; required for the roles in REQUIRE_MFA_FOR (such a user is sent to enrol before anything else).
 * Enrolment also gives 10 one-time recovery codes (for a lost phone); an accepted TOTP code cannot be used twice
 * (the last accepted time step is kept); an admin can remove someone's second factor, with a reason. With
 * TOTP_SECRET_KEY the secret is stored encrypted (totp-secret.util).
 */
@Injectable()
export class MfaService {
  /** AES-256-GCM key for TOTP secrets at rest (optional TOTP_SECRET_KEY; a malformed one stops start-up). */
  private readonly secretKey: Buffer | null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {
    this.secretKey = parseSecretKey(config.get('TOTP_SECRET_KEY'));
  }

  requiredFor(role: Role): boolean {
    return (this.config.get('REQUIRE_MFA_FOR') || '').split(',').includes(role);
  }

  async status(actor: Actor): Promise<MfaStatus> {
    const [row] = await this.db.query(
      `SELECT u.totp_enabled_at IS NOT NULL AS enabled,
              (SELECT count(*)::int FROM mfa_recovery_code c WHERE c.user_id = u.id AND c.used_at IS NULL) AS "left"
         FROM user_account u WHERE u.id = $1`, [actor.id]);
    return { available: actor.role !== 'partner', enabled: !!row?.enabled, required: this.requiredFor(actor.role), recoveryLeft: row?.enabled ? Number(row.left) : 0 };
  }

  /** A new secret, kept in the session until a code from it is confirmed; the QR code as a data: URL image. */
  async startEnrolment(actor: Actor, session: { mfaEnrolSecret?: string }): Promise<{ secret: string; qr: string }> {
    const secret = session.mfaEnrolSecret ?? generateSecret();
    session.mfaEnrolSecret = secret;
    // the name the authenticator app shows, in the user's language
    const uri = generateURI({ issuer: t(normaliseLanguage(actor.locale) ?? DEFAULT_LANGUAGE, 'common:app.name'), label: actor.username, secret });
    return { secret, qr: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
  }

  /**
   * Turns the second factor on; answers the recovery codes, to be shown once. The confirming code's time step is kept
   * like any accepted one: that code (seen on the screen while enrolling) cannot sign in afterwards.
   */
  async confirmEnrolment(actor: Actor, session: { mfaEnrolSecret?: string }, code: unknown): Promise<string[]> {
    if (actor.role === 'partner') throw new ForbiddenException();
    const secret = session.mfaEnrolSecret;
    const step = secret ? await this.check(secret, code) : null;
    if (!secret || step === null) throw new BadRequestException({ message: 'auth:mfa.wrongCode', field: 'code' });
    const codes = await this.db.transaction(async (m) => {
      const stored = this.secretKey ? encryptSecret(secret, this.secretKey, actor.id) : secret;
      await m.query(`UPDATE user_account SET totp_secret = $2, totp_enabled_at = now(), totp_last_step = $3 WHERE id = $1`, [actor.id, stored, step]);
      const fresh = await this.replaceRecoveryCodes(actor.id, m);
      await this.audit.record(actor, { action: 'user.mfa.enable', entityType: 'user', entityId: actor.id }, m);
      return fresh;
    });
    delete session.mfaEnrolSecret;
    return codes;
  }

  /** New recovery codes for old ones (all of them stop working); needs a current code from the app. */
  async regenerateRecoveryCodes(actor: Actor, code: unknown): Promise<string[]> {
    if (!(await this.verifyTotp(actor.id, code))) throw new BadRequestException({ message: 'auth:mfa.wrongCode', field: 'code' });
    return this.db.transaction(async (m) => {
      const fresh = await this.replaceRecoveryCodes(actor.id, m);
      await this.audit.record(actor, { action: 'user.mfa.recovery.regenerate', entityType: 'user', entityId: actor.id }, m);
      return fresh;
    });
  }

  async disable(actor: Actor, code: unknown): Promise<void> {
    if (this.requiredFor(actor.role)) throw new BadRequestException('auth:mfa.cannotDisable');
    if (!(await this.verifyTotp(actor.id, code))) throw new BadRequestException({ message: 'auth:mfa.wrongCode', field: 'code' });
    await this.db.transaction(async (m) => {
      await this.clear(actor.id, m);
      await this.audit.record(actor, { action: 'user.mfa.disable', entityType: 'user', entityId: actor.id }, m);
    });
  }

  /**
   * An admin removes another user's second factor (lost phone): the reason is required and audited, every session of
   * the user ends. A role in REQUIRE_MFA_FOR is sent to enrol again at the next sign-in (requireSecondFactor).
   */
  async adminReset(actor: Actor, userId: number, reason: unknown): Promise<{ username: string; sessionsEnded: number }> {
    const why = String(reason ?? '').trim();
    if (!why) throw new BadRequestException({ message: 'auth:mfa.resetReason', field: 'reason' });
    if (why.length > 500) throw new BadRequestException({ message: 'auth:mfa.resetReasonLong', field: 'reason' });
    // one's own factor is removed with a code of it (disable), never by standing as admin over oneself
    if (userId === actor.id) throw new ForbiddenException('auth:mfa.resetSelf');
    return this.db.transaction(async (m) => {
      const [user] = await m.query(`SELECT id, username, partner_id AS "partnerId", totp_enabled_at IS NOT NULL AS enabled FROM user_account WHERE id = $1 FOR UPDATE`, [userId]);
      if (!user) throw new NotFoundException('auth:errors.userNotFound');
      if (!user.enabled) throw new BadRequestException('auth:mfa.resetNone');
      await this.clear(userId, m);
      const sessionsEnded = await this.users.revokeSessions([userId], m);
      await this.audit.record(actor, { action: 'user.mfa.reset', entityType: 'user', entityId: userId, partnerId: user.partnerId, before: { mfa: true }, after: { mfa: false, sessionsEnded }, reason: why }, m);
      return { username: user.username as string, sessionsEnded };
    });
  }

  /**
   * The second factor at sign-in, in the one code field: 6 digits are a TOTP code (refused if its time step was
   * already accepted), anything else is tried as a recovery code (spent by the statement that accepts it; audited).
   */
  async verifySignIn(user: Actor, code: unknown): Promise<SecondFactor> {
    // a TOTP code: verifyTotp reads the secret itself (null when the user has no second factor)
    if (isTotpCode(code)) {
      const ok = await this.verifyTotp(user.id, code);
      return ok === null ? null : ok ? 'totp' : false;
    }
    const [row] = await this.db.query(`SELECT totp_secret FROM user_account WHERE id = $1 AND totp_enabled_at IS NOT NULL`, [user.id]);
    if (!row?.totp_secret) return null;
    return (await this.useRecoveryCode(user, code)) ? 'recovery' : false;
  }

  /** null: the user has no second factor; else whether the TOTP code is right and not a replay (its step is then kept). */
  async verifyTotp(userId: number, code: unknown): Promise<boolean | null> {
    const [row] = await this.db.query(`SELECT totp_secret FROM user_account WHERE id = $1 AND totp_enabled_at IS NOT NULL`, [userId]);
    if (!row?.totp_secret) return null;
    const stored = String(row.totp_secret);
    const secret = decryptSecret(stored, this.secretKey, userId);
    const step = await this.check(secret, code);
    if (step === null) return false;
    // a secret stored plain before the key was set is encrypted on its first use
    const upgrade = this.secretKey && !isEncryptedSecret(stored) ? encryptSecret(secret, this.secretKey, userId) : null;
    // one statement decides, so two requests racing with the same code cannot both pass
    const kept = await this.db.query(
      `UPDATE user_account SET totp_last_step = $2, totp_secret = coalesce($3, totp_secret)
        WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`, [userId, step, upgrade]);
    return returnedRows(kept).length > 0;
  }

  private async useRecoveryCode(user: Actor, code: unknown): Promise<boolean> {
    const rows: { id: number; salt: string; hash: string }[] = await this.db.query(
      `SELECT id, salt, code_hash AS hash FROM mfa_recovery_code WHERE user_id = $1 AND used_at IS NULL`, [user.id]);
    const hit = matchRecoveryCode(code, rows);
    if (!hit) return false;
    return this.db.transaction(async (m) => {
      const spent = await m.query(`UPDATE mfa_recovery_code SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id`, [hit.id]);
      if (!returnedRows(spent).length) return false;
      const [{ left }] = await m.query(`SELECT count(*)::int AS left FROM mfa_recovery_code WHERE user_id = $1 AND used_at IS NULL`, [user.id]);
      await this.audit.record(user, { action: 'user.mfa.recovery.use', entityType: 'user', entityId: user.id, partnerId: user.partnerId, after: { recoveryCodesLeft: left } }, m);
      return true;
    });
  }

  private async replaceRecoveryCodes(userId: number, m: EntityManager): Promise<string[]> {
    const { codes, stored } = newRecoveryCodes();
    await m.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [userId]);
    await m.query(
      `INSERT INTO mfa_recovery_code (user_id, salt, code_hash) SELECT $1, s, h FROM unnest($2::text[], $3::text[]) AS x(s, h)`,
      [userId, stored.map((s) => s.salt), stored.map((s) => s.hash)]);
    return codes;
  }

  private async clear(userId: number, m: EntityManager): Promise<void> {
    await m.query(`UPDATE user_account SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1`, [userId]);
    await m.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [userId]);
  }

  /** The matched time step of a right code, else null. */
  private async check(secret: string, code: unknown): Promise<number | null> {
    const token = normaliseCode(code);
    if (!/^\d{6}$/.test(token)) return null;
    try {
      // one step either side: a phone clock a little off still works
      const r = await verify({ secret, token, epochTolerance: 30 });
      return r.valid && 'timeStep' in r ? r.timeStep : null;
    } catch {
      return null;
    }
  }
}
