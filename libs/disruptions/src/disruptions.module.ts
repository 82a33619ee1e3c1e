import { DynamicModule, Module } from '@nestjs/common';
import { BaseEnv } from '@tiersight/config';
import { GraphModule } from '@tiersight/graph';
import { EventIngestService } from './event-ingest.service';
import { FEED_CONFIG, loadFeedConfig } from './feed-config';
import { FeedHealth } from './feed-health';
import { FeedReadiness } from './feed-readiness';
import { FeedIngestService } from './feed-ingest.service';

/** Feed pulls and event ingestion (needs QueuesModule and ObservabilityModule). The config is read here, so a bad FEEDS stops startup. */
@Module({})
export class DisruptionsModule {
  static forRoot(config: BaseEnv): DynamicModule {
    return {
      module: DisruptionsModule,
      global: true,
      imports: [GraphModule],
      providers: [{ provide: FEED_CONFIG, useValue: loadFeedConfig(config) }, FeedHealth, FeedReadiness, FeedIngestService, EventIngestService],
      exports: [FEED_CONFIG, FeedHealth, FeedReadiness, FeedIngestService, EventIngestService],
    };
  }
}
