import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import nodemailer, { Transporter } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { Language } from '../i18n/i18n';
import { JobQueue } from '../jobs/job-queue.service';
import { mailLanguage, renderMail, templateExists } from './mail-render';

export interface MailRequest {
  to: string;
  /** `views/mail/<template>.<lang>.txt.hbs` (+ `.html.hbs`); subject `mail:<template>.subject` */
  template: string;
  lang?: Language | string | null;
  params?: Record<string, unknown>;
  /** one e-mail per key, ever: an event that mails a recipient uses e.g. `violation:12:user:5` */
  dedupeKey?: string;
  userId?: number | null;
}

export const MAIL_SEND_JOB = 'mail.send';
export const MAIL_STATUSES = ['queued', 'sent', 'failed', 'captured'] as const;

/**
 * The portal's e-mail: a row in mail_outbox and a durable `mail.send` job, both written in the caller's transaction,
 * so a mail exists exactly when the change that causes it commits and is sent even if the process dies right after.
 * The job renders and sends through SMTP_URL (retried with backoff); without SMTP_URL the rendered mail is kept as
 * 'captured' for admins to read at /admin/mail — never lost.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');
  private transport: Transporter | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly jobs: JobQueue, private readonly config: AppConfig) {
    this.jobs.define<{ id: number }>({ name: MAIL_SEND_JOB, retryLimit: 8, retryDelay: 30, expireInSeconds: 120, handle: (data) => this.deliver(Number(data.id)) });
  }

  /** Queues an e-mail. Returns the outbox id, or null when a mail with the same dedupeKey exists already. */
  async queue(mail: MailRequest, manager?: EntityManager): Promise<number | null> {
    const lang = mailLanguage(mail.lang);
    if (!templateExists(mail.template, lang)) throw new Error(`mail template ${mail.template}.${lang} is missing`);
    const run = async (m: EntityManager) => {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO mail_outbox (to_address, user_id, template, lang, params, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [mail.to.trim(), mail.userId ?? null, mail.template, lang, JSON.stringify(mail.params ?? {}), mail.dedupeKey ?? null]);
      if (!rows.length) return null;
      const id = Number(rows[0].id);
      await this.jobs.enqueue(MAIL_SEND_JOB, { id }, { manager: m });
      return id;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** The job: renders, then sends (or captures). A mail already sent is not sent again. */
  async deliver(id: number): Promise<{ status: string }> {
    const [row] = await this.db.query(`SELECT id, to_address, template, lang, params, status FROM mail_outbox WHERE id = $1`, [id]);
    if (!row) return { status: 'missing' };
    if (row.status === 'sent' || row.status === 'captured') return { status: row.status };
    const rendered = renderMail(row.template, mailLanguage(row.lang), row.params ?? {});
    const transport = this.smtp();
    if (!transport) {
      await this.db.query(
        `UPDATE mail_outbox SET status = 'captured', subject = $2, body_text = $3, body_html = $4, attempts = attempts + 1 WHERE id = $1`,
        [id, rendered.subject, rendered.text, rendered.html]);
      return { status: 'captured' };
    }
    try {
      const info = await transport.sendMail({ from: this.config.get('MAIL_FROM'), to: row.to_address, subject: rendered.subject, text: rendered.text, html: rendered.html });
      await this.db.query(
        `UPDATE mail_outbox SET status = 'sent', subject = $2, body_text = $3, body_html = $4, attempts = attempts + 1, sent_at = now(), message_id = $5, last_error = NULL WHERE id = $1`,
        [id, rendered.subject, rendered.text, rendered.html, String(info.messageId ?? '')]);
      return { status: 'sent' };
    } catch (err) {
      const message = String((err as Error).message ?? err).slice(0, 2000);
      this.logger.warn(`mail ${id} to ${row.to_address}: ${message}`);
      await this.db.query(
        `UPDATE mail_outbox SET status = 'failed', subject = $2, body_text = $3, body_html = $4, attempts = attempts + 1, last_error = $5 WHERE id = $1`,
        [id, rendered.subject, rendered.text, rendered.html, message]);
      throw err; // pg-boss retries with backoff
    }
  }

  /** A link into the portal for a mail (PUBLIC_URL + path). */
  link(path: string): string {
    return `${this.config.get('PUBLIC_URL').replace(/\/+$/, '')}${path}`;
  }

  private smtp(): Transporter | null {
    const url = this.config.get('SMTP_URL');
    if (!url) return null;
    this.transport ??= nodemailer.createTransport(url);
    return this.transport;
  }
}
