import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { adapterFor, MAX_JSON_DOCUMENT_BYTES, MAX_XML_DOCUMENT_BYTES } from '@tiersight/feed-formats';
import type { FeedFormat, FeedParseResult } from '@tiersight/feed-formats';
import { EventRepository } from '@tiersight/graph';
import { LOGGER, Metrics } from '@tiersight/observability';
import { DeadLetters, QueueProducer } from '@tiersight/queues';
import { FEED_CONFIG, FeedConfig } from './feed-config';
import { fetchFeedDocument } from './feed-fetcher';
import { FeedHealth } from './feed-health';
import type { FeedSource } from './feed-sources';
import { upsertJobId } from './job-ids';

export class UnknownFeedSourceError extends Error {}

export interface PullOutcome {
  sourceId: string;
  upserts: number;
  closes: number;
  vanished: number;
  deadLetters: number;
  skipped: number;
}

const maxBytes = (format: FeedFormat) => (format === 'usgs-geojson' || format === 'gdacs-geojson' ? MAX_JSON_DOCUMENT_BYTES : MAX_XML_DOCUMENT_BYTES);

/**
 * One pull of one feed: fetch, parse, record dead letters, and hand each
 * item to the events queue (upserts, closes, and closes for the events that
 * left the feed). A fetch failure throws so BullMQ retries with backoff;
 * a document that cannot be read is a dead letter and is not retried.
 */
@Injectable()
export class FeedIngestService {
  constructor(
    @Inject(FEED_CONFIG) private readonly config: FeedConfig,
    private readonly events: EventRepository,
    private readonly producer: QueueProducer,
    private readonly deadLetters: DeadLetters,
    private readonly health: FeedHealth,
    private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  source(sourceId: string): FeedSource {
    const source = this.config.sources.find((s) => s.id === sourceId);
    if (!source) throw new UnknownFeedSourceError(`feed source "${sourceId}" is not configured`);
    return source;
  }

  async pull(sourceId: string): Promise<PullOutcome> {
    const source = this.source(sourceId);
    let document: Buffer;
    try {
      ({ body: document } = await fetchFeedDocument(source.url, { timeoutMs: this.config.fetchTimeoutMs, maxBytes: maxBytes(source.format) }));
    } catch (error) {
      await this.health.recordFailure(source.id, (error as Error).message);
      throw error;
    }
    const result = adapterFor(source.format).parse(document, { sourceId: source.id, receivedAt: new Date(), policy: this.config.policy });
    const outcome = await this.apply(source, result);
    await this.health.recordSuccess(source.id, { items: result.items.length, deadLetters: result.deadLetters.length });
    if (result.deadLetters.length) this.metrics.deadLetters.inc({ kind: 'feed' }, result.deadLetters.length);
    this.metrics.feedItems.inc({ source: source.id }, result.items.length);
    this.logger.info(outcome, 'feed pulled');
    return outcome;
  }

  /** Applies one parsed document: the same for a scheduled pull and for a document pushed by an operator. */
  async apply(source: FeedSource, result: FeedParseResult): Promise<PullOutcome> {
    await this.deadLetters.add(
      ...result.deadLetters.map((d) => ({ kind: 'feed' as const, source: d.sourceId, itemRef: d.itemRef, reason: d.reason, excerpt: d.excerpt })),
    );
    const upserts = result.items.flatMap((i) => (i.action === 'upsert' ? [i.event] : []));
    const closes = result.items.flatMap((i) => (i.action === 'close' ? [i] : []));
    const databaseId = upserts.length ? await this.events.databaseId() : '';
    await this.producer.enqueueBulk(
      'event.upsert',
      upserts.map((event) => ({ data: { v: 1 as const, sourceId: source.id, event }, opts: { jobId: upsertJobId(databaseId, event) } })),
    );
    await this.producer.enqueueBulk(
      'event.close',
      closes.map((c) => ({ data: { v: 1 as const, sourceId: source.id, eventId: c.eventId, reason: c.reason } })),
    );
    // An unreadable document says nothing about which events still stand: only a good pull closes the vanished.
    const documentFailed = result.deadLetters.some((d) => d.itemRef === null);
    let vanished: string[] = [];
    if (source.closeVanished && !documentFailed) {
      const present = new Set(result.items.map((i) => (i.action === 'upsert' ? i.event.id : i.eventId)));
      for (const skipped of result.skipped ?? []) if (skipped.itemRef) present.add(skipped.itemRef);
      for (const dead of result.deadLetters) if (dead.itemRef) present.add(dead.itemRef);
      vanished = (await this.events.activeIdsOfSource(source.id)).filter((id) => !present.has(id));
      await this.producer.enqueueBulk(
        'event.close',
        vanished.map((eventId) => ({ data: { v: 1 as const, sourceId: source.id, eventId, reason: `no longer in feed ${source.id}` } })),
      );
    }
    return {
      sourceId: source.id,
      upserts: upserts.length,
      closes: closes.length,
      vanished: vanished.length,
      deadLetters: result.deadLetters.length,
      skipped: result.skipped?.length ?? 0,
    };
  }
}
