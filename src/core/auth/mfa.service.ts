import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config.service';
import { DEFAULT_LANGUAGE, normaliseLanguage, t } from '../i18n/i18n';
import { Actor, Role } from './actor';

declare module 'express-session' {
  interface SessionData { mfaEnrolSecret?: string }
}

/** A TOTP code: 6 digits (spaces people type are ignored). */
export const normaliseCode = (code: unknown) => String(code ?? '').replace(/\s+/g, '');

/**
 * Optional second factor for staff (TOTP, RFC 6238, any authenticator app): enrol by scanning a QR code and
 * confirming one code; required for the roles in REQUIRE_MFA_FOR (such a user is sent to enrol before anything else).
 */
@Injectable()
export class MfaService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService, private readonly config: AppConfig) {}

  requiredFor(role: Role): boolean {
    return (this.config.get('REQUIRE_MFA_FOR') || '').split(',').includes(role);
  }

  async status(actor: Actor): Promise<{ available: boolean; enabled: boolean; required: boolean }> {
    const [row] = await this.db.query(`SELECT totp_enabled_at IS NOT NULL AS enabled FROM user_account WHERE id = $1`, [actor.id]);
    return { available: actor.role !== 'partner', enabled: !!row?.enabled, required: this.requiredFor(actor.role) };
  }

  /** A new secret, kept in the session until a code from it is confirmed; the QR code as a data: URL image. */
  async startEnrolment(actor: Actor, session: { mfaEnrolSecret?: string }): Promise<{ secret: string; qr: string }> {
    const secret = session.mfaEnrolSecret ?? generateSecret();
    session.mfaEnrolSecret = secret;
    // the name the authenticator app shows, in the user's language
    const uri = generateURI({ issuer: t(normaliseLanguage(actor.locale) ?? DEFAULT_LANGUAGE, 'common:app.name'), label: actor.username, secret });
    return { secret, qr: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
  }

  async confirmEnrolment(actor: Actor, session: { mfaEnrolSecret?: string }, code: unknown): Promise<void> {
    const secret = session.mfaEnrolSecret;
    if (!secret || !(await this.check(secret, code))) throw new BadRequestException({ message: 'auth:mfa.wrongCode', field: 'code' });
    await this.db.transaction(async (m) => {
      await m.query(`UPDATE user_account SET totp_secret = $2, totp_enabled_at = now() WHERE id = $1`, [actor.id, secret]);
      await this.audit.record(actor, { action: 'user.mfa.enable', entityType: 'user', entityId: actor.id }, m);
    });
    delete session.mfaEnrolSecret;
  }

  async disable(actor: Actor, code: unknown): Promise<void> {
    if (this.requiredFor(actor.role)) throw new BadRequestException('auth:mfa.cannotDisable');
    if (!(await this.verifyUser(actor.id, code))) throw new BadRequestException({ message: 'auth:mfa.wrongCode', field: 'code' });
    await this.db.transaction(async (m) => {
      await m.query(`UPDATE user_account SET totp_secret = NULL, totp_enabled_at = NULL WHERE id = $1`, [actor.id]);
      await this.audit.record(actor, { action: 'user.mfa.disable', entityType: 'user', entityId: actor.id }, m);
    });
  }

  /** null: the user has no second factor; else whether the code is right. */
  async verifyUser(userId: number, code: unknown): Promise<boolean | null> {
    const [row] = await this.db.query(`SELECT totp_secret FROM user_account WHERE id = $1 AND totp_enabled_at IS NOT NULL`, [userId]);
    if (!row?.totp_secret) return null;
    return this.check(row.totp_secret, code);
  }

  private async check(secret: string, code: unknown): Promise<boolean> {
    const token = normaliseCode(code);
    if (!/^\d{6}$/.test(token)) return false;
    try {
      // one step either side: a phone clock a little off still works
      return (await verify({ secret, token, epochTolerance: 30 })).valid;
    } catch {
      return false;
    }
  }
}
