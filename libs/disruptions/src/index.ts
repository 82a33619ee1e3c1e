export { DisruptionsModule } from './disruptions.module';
export { EventIngestService } from './event-ingest.service';
export { FEED_CONFIG } from './feed-config';
export type { FeedConfig } from './feed-config';
export { FeedHealth } from './feed-health';
export { FeedReadiness } from './feed-readiness';
export { FeedIngestService, UnknownFeedSourceError } from './feed-ingest.service';
