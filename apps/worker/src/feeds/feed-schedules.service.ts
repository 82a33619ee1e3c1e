import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { FEED_CONFIG, FeedConfig } from '@tiersight/disruptions';
import { LOGGER } from '@tiersight/observability';
import { QUEUES } from '@tiersight/queues';

const FEED_SCHEDULER = (sourceId: string) => `feed:${sourceId}`;
const EXPIRY_SCHEDULER = 'events:expire';
const EXPIRY_EVERY_MS = 60_000;

/**
 * Keeps the BullMQ job schedulers in line with the configuration at every
 * start: one per configured feed (upsert is idempotent, so several workers
 * starting together agree), none for feeds no longer configured, and one
 * expiry sweep. The events queue runs one job at a time across workers.
 */
@Injectable()
export class FeedSchedules implements OnApplicationBootstrap {
  constructor(
    @Inject(FEED_CONFIG) private readonly config: FeedConfig,
    @InjectQueue(QUEUES.feeds) private readonly feedsQueue: Queue,
    @InjectQueue(QUEUES.events) private readonly eventsQueue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.eventsQueue.setGlobalConcurrency(1);
    const wanted = new Set(this.config.sources.map((s) => FEED_SCHEDULER(s.id)));
    for (const scheduler of await this.feedsQueue.getJobSchedulers(0, -1)) {
      if (scheduler.key.startsWith('feed:') && !wanted.has(scheduler.key)) await this.feedsQueue.removeJobScheduler(scheduler.key);
    }
    for (const source of this.config.sources) {
      await this.feedsQueue.upsertJobScheduler(
        FEED_SCHEDULER(source.id),
        { every: source.intervalSeconds * 1000 },
        { name: 'feed.pull', data: { v: 1, sourceId: source.id } },
      );
    }
    await this.eventsQueue.upsertJobScheduler(EXPIRY_SCHEDULER, { every: EXPIRY_EVERY_MS }, { name: 'events.expire', data: { v: 1 } });
    this.logger.info({ feeds: this.config.sources.map((s) => s.id) }, 'feed schedules in place');
  }
}
