import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { SubscriptionsService } from '@tiersight/webhooks';
import { CreateWebhookDto, DeliveryIdParam, DeliveryListQuery, UpdateWebhookDto, WebhookIdParam, WebhookListQuery } from './webhooks.dto';

/** Webhook subscriptions, their delivery log and replays (DESIGN §5, §7). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /** A new subscription; its `secret` (whsec_…) is in this answer only. The URL is checked (SSRF guard). */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ description: '{ id, url, secret, filters, enabled, status, … }' })
  create(@Body() body: CreateWebhookDto, @CurrentCaller() caller: Caller) {
    return this.subscriptions.create(caller, body);
  }

  @Get()
  list(@Query() q: WebhookListQuery) {
    return this.subscriptions.list(q.limit, q.cursor);
  }

  /** One subscription with its status, pausedReason and endpoint health. */
  @Get(':id')
  get(@Param() p: WebhookIdParam) {
    return this.subscriptions.get(p.id);
  }

  /** Change the URL, description or filters; `enabled: false` pauses, `enabled: true` resumes. */
  @Patch(':id')
  update(@Param() p: WebhookIdParam, @Body() body: UpdateWebhookDto, @CurrentCaller() caller: Caller) {
    return this.subscriptions.update(p.id, caller, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param() p: WebhookIdParam, @CurrentCaller() caller: Caller): Promise<void> {
    await this.subscriptions.delete(p.id, caller);
  }

  /** A new secret, shown once; the old one keeps signing (a second signature) for WEBHOOK_SECRET_GRACE_S. */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ id, secret, previousSecretExpiresAt, … }' })
  rotate(@Param() p: WebhookIdParam, @CurrentCaller() caller: Caller) {
    return this.subscriptions.rotateSecret(p.id, caller);
  }

  /** The subscription's deliveries, newest first: status, attempts, response code, latency, last error. */
  @Get(':id/deliveries')
  deliveries(@Param() p: WebhookIdParam, @Query() q: DeliveryListQuery) {
    return this.subscriptions.deliveries(p.id, { limit: q.limit, cursor: q.cursor, status: q.status });
  }

  @Get('deliveries/:id')
  delivery(@Param() p: DeliveryIdParam) {
    return this.subscriptions.delivery(p.id);
  }

  /** Send a delivered or failed delivery again, with the same webhook-id and fresh tries. */
  @Post('deliveries/:id/replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'the delivery, now pending' })
  replay(@Param() p: DeliveryIdParam) {
    return this.subscriptions.replay(p.id);
  }
}
