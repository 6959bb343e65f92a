import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Service, ServiceScope } from './bearer.guard';
import { serviceActor, ServicePrincipal } from './service-accounts.service';
import { WebhooksService } from './webhooks.service';

/** A service account manages its own webhook subscriptions (scope webhooks:manage). */
@ApiTags('api v1 (service accounts)')
@Controller('api/v1/webhooks')
export class WebhooksApiController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ServiceScope('webhooks:manage')
  list(@Service() p: ServicePrincipal) {
    return this.webhooks.subscriptions(p.accountId);
  }

  @Post()
  @ServiceScope('webhooks:manage')
  @ApiOperation({ summary: 'Subscribe (the signing secret is in this answer only)' })
  @ApiBody({ schema: { example: { url: 'https://erp.example/portal-hooks', events: ['batch.approved', 'batch.paid', 'partner.status_changed', 'exit.completed'] } } })
  subscribe(@Service() p: ServicePrincipal, @Body() body: { url: string; events: string[] }) {
    return this.webhooks.subscribe(serviceActor(p), p.accountId, body ?? {});
  }

  @Delete(':id')
  @ServiceScope('webhooks:manage')
  @HttpCode(204)
  async remove(@Service() p: ServicePrincipal, @Param('id', ParseIntPipe) id: number) {
    await this.webhooks.unsubscribe(serviceActor(p), p.accountId, id);
  }
}
