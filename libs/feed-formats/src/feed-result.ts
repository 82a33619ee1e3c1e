import { type EventGeometry, type IncomingEvent, isEntityId, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';
import { InvalidGeometryError, parseEventForecast, parseEventGeometry } from '@tiersight/geo-engine';
import { documentExcerpt, excerpt, FeedDocumentError } from './document-text';
import type { DeadLetter, FeedContext, FeedItem, FeedParseResult, SkippedItem } from './feed-adapter';

/** Thrown inside an adapter for one item; caught per item and turned into a dead letter. */
export class FeedItemError extends Error {}

const MAX_TITLE_LENGTH = 500;

interface Slot {
  index: number;
  version: number;
}

/**
 * Collects one document's items, dead letters and skipped items. Every event
 * is checked before it is accepted (id rule, severity in [0, 1], duration,
 * start time, country, geometry through `parseEventGeometry`); a failing check
 * makes a dead letter instead. A forecast goes through `parseEventForecast`:
 * its malformed parts are dropped, the event kept. At most one item per event id is kept: the one
 * with the highest `version` (GDACS episode, USGS update time, CAP sent time),
 * the later one on a tie.
 */
export class FeedResultBuilder {
  private readonly items: FeedItem[] = [];
  private readonly deadLetters: DeadLetter[] = [];
  private readonly skipped: SkippedItem[] = [];
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly context: FeedContext) {}

  get sourceId(): string {
    return this.context.sourceId;
  }

  upsert(event: IncomingEvent, raw: unknown, version = 0): void {
    const problem = checkEvent(event);
    if (problem) {
      this.deadLetter(event.id, problem, raw);
      return;
    }
    let geometry: EventGeometry;
    try {
      geometry = parseEventGeometry(event.geometry, event.geometry.type === 'Point' ? event.geometry.radiusKm : undefined);
    } catch (error) {
      if (!(error instanceof InvalidGeometryError)) throw error;
      this.deadLetter(event.id, `invalid geometry: ${error.message}`, raw);
      return;
    }
    const title = event.title.length > MAX_TITLE_LENGTH ? `${event.title.slice(0, MAX_TITLE_LENGTH - 1)}…` : event.title;
    // A forecast's malformed parts are dropped, and a forecast with nothing usable left: the event stands without it.
    const { forecast: given, ...rest } = event;
    const forecast = given === undefined ? null : parseEventForecast(given);
    this.keep(event.id, { action: 'upsert', event: { ...rest, title, geometry, ...(forecast ? { forecast } : {}) } }, version);
  }

  close(eventId: string, reason: string, raw: unknown, version = 0): void {
    if (!isEntityId(eventId)) {
      this.deadLetter(eventId, `cannot close: event id "${eventId.slice(0, 140)}" breaks the id rule`, raw);
      return;
    }
    this.keep(eventId, { action: 'close', eventId, reason }, version);
  }

  deadLetter(itemRef: string | null, reason: string, raw: unknown): void {
    this.deadLetters.push({ sourceId: this.context.sourceId, itemRef, reason, excerpt: excerpt(raw) });
  }

  skip(itemRef: string | null, reason: string): void {
    this.skipped.push({ itemRef, reason });
  }

  /** Runs one item's conversion; a thrown error becomes that item's dead letter (the rest of the document goes on). */
  guard(itemRef: string | null, raw: unknown, work: () => void): void {
    try {
      work();
    } catch (error) {
      const reason =
        error instanceof FeedItemError || error instanceof InvalidGeometryError
          ? error.message
          : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
      this.deadLetter(itemRef, reason, raw);
    }
  }

  result(): FeedParseResult {
    return { items: this.items, deadLetters: this.deadLetters, skipped: this.skipped };
  }

  private keep(id: string, item: FeedItem, version: number): void {
    const slot = this.slots.get(id);
    if (!slot) {
      this.slots.set(id, { index: this.items.length, version });
      this.items.push(item);
    } else if (version >= slot.version) {
      this.items[slot.index] = item;
      slot.version = version;
      this.skip(id, 'superseded by a newer version of the same event in this document');
    } else {
      this.skip(id, 'an older version of an event given again later in this document');
    }
  }
}

/**
 * Runs an adapter over one document so that it never throws: a
 * `FeedDocumentError` (or, defensively, any other error) becomes one
 * document-level dead letter next to whatever was collected before it.
 */
export function parseSafely(document: string | Buffer, context: FeedContext, body: (out: FeedResultBuilder) => void): FeedParseResult {
  const out = new FeedResultBuilder(context);
  try {
    body(out);
  } catch (error) {
    const reason =
      error instanceof FeedDocumentError ? error.message : `unexpected error while reading the document: ${(error as Error)?.message ?? String(error)}`;
    out.deadLetter(null, reason, documentExcerpt(document));
  }
  return out.result();
}

/** What is wrong with an event apart from its geometry, or null. */
function checkEvent(event: IncomingEvent): string | null {
  if (!isEntityId(event.id)) {
    return `event id "${event.id.slice(0, 140)}" must match the id rule and be at most ${MAX_ENTITY_ID_LENGTH} characters`;
  }
  if (!event.title.trim()) return 'event has no title';
  if (!Number.isFinite(event.severity) || event.severity < 0 || event.severity > 1) return `severity ${event.severity} is not in [0, 1]`;
  if (!Number.isFinite(event.expectedDurationDays) || event.expectedDurationDays <= 0) {
    return `expected duration ${event.expectedDurationDays} days is not a positive number`;
  }
  if (!isIsoInstant(event.startsAt)) return `start time "${event.startsAt}" is not an ISO 8601 instant`;
  if (event.expiresAt !== undefined && !isIsoInstant(event.expiresAt)) return `expiry "${event.expiresAt}" is not an ISO 8601 instant`;
  if (event.country !== null && !/^[A-Z]{2}$/.test(event.country)) return `country "${event.country}" is not an alpha-2 code`;
  return null;
}

const isIsoInstant = (value: string) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));

/** A date string (ISO 8601, RFC 822, or GDACS's zone-less ISO meaning UTC) as an ISO instant, or null. */
export function toIsoInstant(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? safeIso(value) : null;
  if (typeof value !== 'string' || !value.trim()) return null;
  const text = value.trim();
  const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  return safeIso(Date.parse(zoneless ? `${text}Z` : text));
}

function safeIso(ms: number): string | null {
  if (Number.isNaN(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
