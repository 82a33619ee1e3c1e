import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AlertFanout, ChangeStreamConsumer } from '@tiersight/webhooks';

/**
 * Thin: the exposure-change stream (a Redis stream, not a queue), read by one
 * worker at a time, fanned out into queued `webhook.deliver-batch` and
 * `webhook.deliver` jobs.
 */
@Injectable()
export class ChangeFanout implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly consumer: ChangeStreamConsumer,
    private readonly fanout: AlertFanout,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start((entries) => this.fanout.handle(entries));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
