import { Module, OnModuleInit } from '@nestjs/common';
import { answerErrorsUnder } from '../../core/web/http-exception.filter';
import { CustomersModule } from '../customers/customers.module';
import { SettlementModule } from '../settlement/settlement.module';
import { AccrualsApiService } from './accruals-api.service';
import { ApiV1Controller } from './api-v1.controller';
import { BearerGuard } from './bearer.guard';
import { IdempotencyService } from './idempotency.service';
import { IntegrationsAdminController } from './integrations-admin.controller';
import { IntegrationsDemoSeed } from './integrations.demo-seed';
import { ProblemFilter } from './problem.filter';
import { ServiceAccountsService } from './service-accounts.service';
import { WebhooksApiController } from './webhooks-api.controller';
import { WebhooksService } from './webhooks.service';

/** Integrations (#19): service accounts and bearer tokens, the versioned machine API /api/v1, signed webhooks. */
@Module({
  imports: [SettlementModule, CustomersModule],
  controllers: [ApiV1Controller, WebhooksApiController, IntegrationsAdminController],
  providers: [ServiceAccountsService, BearerGuard, IdempotencyService, AccrualsApiService, WebhooksService, IntegrationsDemoSeed],
  exports: [ServiceAccountsService, WebhooksService],
})
export class IntegrationsModule implements OnModuleInit {
  /** every error under /api/v1 as problem details, also those raised before a route is reached (unknown path, bad body) */
  onModuleInit(): void {
    answerErrorsUnder('/api/v1', new ProblemFilter());
  }
}
