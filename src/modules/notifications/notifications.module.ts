import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { MailServiceMailer, NotificationMailer } from './notification-mailer';
import { NotificationEvents } from './notification-events.service';
import { WorkEndedListener } from './work-ended.listener';
import { NotificationsApiController, NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { OverdueDigest } from './overdue-digest.service';
import { UnreadBellMiddleware } from './unread-bell.middleware';

/**
 * Notifications (#15): in-app inbox and email for the business events that ask something of a person or tell them
 * about their money. Global, so business services call NotificationEvents inside their own transactions without
 * importing this module (and without import cycles).
 */
@Global()
@Module({
  controllers: [NotificationsController, NotificationsApiController],
  providers: [NotificationsService, NotificationEvents, OverdueDigest, UnreadBellMiddleware, WorkEndedListener, { provide: NotificationMailer, useClass: MailServiceMailer }],
  exports: [NotificationsService, NotificationEvents, OverdueDigest],
})
export class NotificationsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(UnreadBellMiddleware).forRoutes('{*path}');
  }
}
