import type { IncomingEvent } from '@tiersight/contracts';
import type { SeverityPolicy } from './severity-policy';

/** The document formats this library reads; one adapter per format. */
export const FEED_FORMATS = ['usgs-geojson', 'gdacs-rss', 'gdacs-geojson', 'cap'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export interface FeedContext {
  /** The configured feed (e.g. `usgs-significant-month`); copied into `event.source` and every dead letter. */
  sourceId: string;
  /** When the document was fetched or pushed; the fallback start time of an item that states none. */
  receivedAt: Date;
  policy: SeverityPolicy;
}

export type FeedItem = { action: 'upsert'; event: IncomingEvent } | { action: 'close'; eventId: string; reason: string };

/** An item (or a whole document) that could not be turned into an event, kept with the reason for an operator. */
export interface DeadLetter {
  sourceId: string;
  /** The item's own reference (feature id, guid, CAP identifier…), or null for a whole-document failure. */
  itemRef: string | null;
  reason: string;
  /** At most 500 characters of the offending item or document. */
  excerpt: string;
}

/** A well-formed item deliberately left out by policy (test alerts, tiny quakes…); informational only. */
export interface SkippedItem {
  itemRef: string | null;
  reason: string;
}

export interface FeedParseResult {
  /** At most one item per event id (the newest version in the document wins), in document order. */
  items: FeedItem[];
  deadLetters: DeadLetter[];
  /** Filled by every adapter of this library; optional so that callers may build results of their own. */
  skipped?: SkippedItem[];
}

export interface FeedAdapter {
  readonly format: FeedFormat;
  /** Never throws: a malformed document becomes one dead letter, a malformed item one dead letter of its own. */
  parse(document: string | Buffer, context: FeedContext): FeedParseResult;
}
