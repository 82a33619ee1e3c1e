import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@tiersight/audit';
import { GraphModule } from '@tiersight/graph';
import { AlertContextRepository } from './alert-context.repository';
import { AlertFanout } from './alert-fanout.service';
import { ChangeStreamConsumer } from './change-stream.consumer';
import { DeliveryService } from './delivery.service';
import { DeliveryStore } from './delivery-store';
import { HttpSender } from './http-sender';
import { LotFlagFanout } from './lot-flag-fanout.service';
import { SubscriptionCache } from './subscription-cache';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsService } from './subscriptions.service';
import { TargetGuard } from './target-guard';

const SHARED = [SubscriptionRepository, DeliveryStore, TargetGuard];

/**
 * Webhook alerts. The API side manages subscriptions and the delivery log;
 * the worker side turns exposure changes and lot flags into alerts and delivers them.
 * Needs ConfigModule, ObservabilityModule and QueuesModule.
 */
@Module({})
export class WebhooksModule {
  static forApi(): DynamicModule {
    const providers = [...SHARED, SubscriptionsService];
    return { module: WebhooksModule, imports: [GraphModule, AuditModule], providers, exports: providers };
  }

  static forWorker(): DynamicModule {
    const providers = [...SHARED, SubscriptionCache, AlertContextRepository, AlertFanout, LotFlagFanout, ChangeStreamConsumer, HttpSender, DeliveryService];
    return { module: WebhooksModule, imports: [GraphModule], providers, exports: providers };
  }
}
