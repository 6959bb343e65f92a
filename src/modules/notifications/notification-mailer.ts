import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Language } from '../../core/i18n/i18n';
import { MailService } from '../../core/mail/mail.service';

/** One email to queue in the caller's transaction (the shape of MailService.queue). */
export interface NotificationMail {
  to: string;
  template: string;
  lang: Language;
  params: Record<string, unknown>;
  dedupeKey?: string;
  userId?: number;
}

/**
 * The email step of a notification, behind a small interface so the module does not depend on how mail is sent.
 * The portal binds it to MailService (outbox table + SMTP with retries); tests may bind another.
 */
export abstract class NotificationMailer {
  abstract queue(mail: NotificationMail, manager: EntityManager): Promise<void>;
}


/** The portal's binding: MailService writes the outbox row and its send job in the caller's transaction. */
@Injectable()
export class MailServiceMailer extends NotificationMailer {
  constructor(private readonly mail: MailService) { super(); }

  async queue(mail: NotificationMail, manager: EntityManager): Promise<void> {
    const path = String(mail.params.path ?? '');
    await this.mail.queue({ ...mail, params: { ...mail.params, link: path ? this.mail.link(path) : '' } }, manager);
  }
}
