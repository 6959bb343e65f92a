import { Global, Module } from '@nestjs/common';
import { MailController } from './mail.controller';
import { MailService } from './mail.service';

/** E-mail for every module (global): MailService.queue(...) in the caller's transaction; the outbox page for admins. */
@Global()
@Module({ controllers: [MailController], providers: [MailService], exports: [MailService] })
export class MailModule {}
