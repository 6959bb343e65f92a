import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import PinoPretty from 'pino-pretty';
import { AuditModule } from './core/audit/audit.module';
import { redactLinkTokens } from './core/auth/account-token.util';
import { AuthModule } from './core/auth/auth.module';
import { AppConfig } from './core/config/app-config.service';
import { AppConfigModule } from './core/config/config.module';
import { DatabaseModule } from './core/database/database.module';
import { HealthModule } from './core/health/health.module';
import { I18nModule } from './core/i18n/i18n.module';
import { JobsModule } from './core/jobs/jobs.module';
import { MailModule } from './core/mail/mail.module';
import { WebModule } from './core/web/web.module';
import { ComplaintsModule } from './modules/complaints/complaints.module';
import { CustomersModule } from './modules/customers/customers.module';
import { DocumentsModule } from './modules/documents/documents.module';
import { DutiesModule } from './modules/duties/duties.module';
import { ExitModule } from './modules/exit/exit.module';
import { IntegrationsModule } from './modules/integrations/integrations.module';
import { InvoicesModule } from './modules/invoices/invoices.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { OnboardingModule } from './modules/onboarding/onboarding.module';
import { PartnersModule } from './modules/partners/partners.module';
import { RegionsModule } from './modules/regions/regions.module';
import { RetentionModule } from './modules/retention/retention.module';
import { ReportsModule } from './modules/reports/reports.module';
import { ScoringModule } from './modules/scoring/scoring.module';
import { SettlementModule } from './modules/settlement/settlement.module';
import { StaffModule } from './modules/staff/staff.module';
import { SupportModule } from './modules/support/support.module';
import { VerificationModule } from './modules/verification/verification.module';
import { ViolationsModule } from './modules/violations/violations.module';

/** Shared plumbing (core). Built at call time so the environment is read when the app is created, not when imported. */
export const coreModules = () => [
  AppConfigModule.forRoot(),
  LoggerModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => {
      const options = {
        level: config.get('LOG_LEVEL'),
        // unique across processes and hosts (pino's default counter restarts in every process); shown to a person
        // who meets an error, so an operator finds the request's log lines
        genReqId: (_req: IncomingMessage, res: ServerResponse) => {
          const id = randomUUID().slice(0, 13);
          res.setHeader('X-Request-Id', id);
          return id;
        },
        // one line per request with what an operator needs (no headers: no cookies or tokens to redact, and far
        // less work per request); the signed-in user makes a request traceable to an audit entry
        serializers: {
          req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: redactLinkTokens(req.url), remoteAddress: req.remoteAddress }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        customProps: (req: IncomingMessage) => {
          const userId = (req as { user?: { id?: number } }).user?.id;
          return userId ? { userId } : {};
        },
        redact: { paths: ['*.password', '*.passwordHash'], remove: true },
        autoLogging: { ignore: (req: { url?: string }) => !!req.url?.startsWith('/public/') },
      };
      // short, human lines in development (written synchronously, so they keep their order with the console output
      // of the demo start-up); JSON lines for log collectors in production and tests
      if (config.get('NODE_ENV') === 'development' && config.get('LOG_FORMAT') !== 'json') {
        const pretty = PinoPretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,req,res,responseTime,context', messageFormat: '{if context}[{context}] {end}{msg}' });
        return { pinoHttp: [options, pretty] as never };
      }
      return { pinoHttp: options };
    },
  }),
  EventEmitterModule.forRoot(),
  DatabaseModule,
  AuditModule,
  AuthModule,
  WebModule,
  I18nModule,
  JobsModule,
  MailModule,
  HealthModule,
];

export const BUSINESS_MODULES = [
  NotificationsModule,
  RegionsModule,
  PartnersModule,
  OnboardingModule,
  CustomersModule,
  DutiesModule,
  ViolationsModule,
  ScoringModule,
  SettlementModule,
  ExitModule,
  DocumentsModule,
  InvoicesModule,
  RetentionModule,
  ComplaintsModule,
  IntegrationsModule,
  SupportModule,
  StaffModule,
  VerificationModule,
  ReportsModule,
];

@Module({})
export class AppModule {
  static forRoot(): DynamicModule {
    return { module: AppModule, imports: [...coreModules(), ...BUSINESS_MODULES] };
  }
}
