import type { IncomingEvent } from '@tiersight/contracts';
import { adapterFor, type FeedFormat, MAX_JSON_DOCUMENT_BYTES, MAX_XML_DOCUMENT_BYTES, type SeverityPolicy } from '@tiersight/feed-formats';
import { compareIds } from '@tiersight/risk-engine';
import type { EventVersion, RejectedItem } from './event-versions';

const DAY_MS = 86_400_000;

/** A recorded feed document to replay, in one of the feed adapters' formats. */
export interface BacktestDocument {
  format: FeedFormat;
  content: string;
  /** When the document was received: the start of its items that state none, and when its `close` items take effect; default the range's `from`. */
  receivedAt?: string;
  /** A label for the report (a file name). */
  name?: string;
}

export interface DocumentEvents {
  versions: EventVersion[];
  /** Items (or whole documents) the adapter could not read, with its reason: not replayed. */
  rejected: RejectedItem[];
  /** Items the severity policy leaves out (test alerts, tiny quakes), as the live feed path skips them. */
  skipped: RejectedItem[];
}

/** The feed path's size limit for a format (413 beyond it): JSON formats up to 32 MB, XML ones 10 MB. */
export const maxDocumentBytes = (format: FeedFormat) =>
  format === 'usgs-geojson' || format === 'gdacs-geojson' ? MAX_JSON_DOCUMENT_BYTES : MAX_XML_DOCUMENT_BYTES;

interface Upsert {
  event: IncomingEvent;
  /** When this version begins: the advisory time of a forecast, else the event's start. */
  at: number;
  document: number;
  index: number;
}

/**
 * The events of uploaded feed documents, with their own times, as versions
 * to replay. Each document goes through its format's adapter exactly as a
 * pulled feed does (the same severity policy, dead letters for what cannot be
 * read, the newest version of an event within one document). Across
 * documents, an event given several times changes at each version's time (a
 * forecast's `issuedAt`, else the event's `startsAt`; the same time twice:
 * the later document wins). A version lasts until the next one, a `close`
 * item of a later document (at that document's `receivedAt`), or its end:
 * the issuer's `expiresAt` when given, else its start plus its expected
 * duration (a document cannot tell when a live feed would have dropped it).
 */
export function eventsFromDocuments(documents: readonly BacktestDocument[], options: { from: string; policy: SeverityPolicy }): DocumentEvents {
  const upserts = new Map<string, Upsert[]>();
  const closes = new Map<string, number[]>();
  const rejected: RejectedItem[] = [];
  const skipped: RejectedItem[] = [];
  documents.forEach((doc, document) => {
    const receivedAt = new Date(doc.receivedAt ?? options.from);
    const result = adapterFor(doc.format).parse(doc.content, { sourceId: `backtest-${document + 1}`, receivedAt, policy: options.policy });
    for (const d of result.deadLetters) rejected.push({ document, itemRef: d.itemRef, reason: d.reason });
    for (const s of result.skipped ?? []) skipped.push({ document, itemRef: s.itemRef, reason: s.reason });
    result.items.forEach((item, index) => {
      if (item.action === 'close') {
        const list = closes.get(item.eventId) ?? [];
        list.push(receivedAt.getTime());
        closes.set(item.eventId, list);
        return;
      }
      const event = item.event;
      const at = Math.max(Date.parse(event.startsAt), event.forecast ? Date.parse(event.forecast.issuedAt) : -Infinity);
      const list = upserts.get(event.id) ?? [];
      list.push({ event, at, document, index });
      upserts.set(event.id, list);
    });
  });

  const versions: EventVersion[] = [];
  for (const id of [...upserts.keys()].sort(compareIds)) {
    const given = upserts.get(id)!.sort((a, b) => a.at - b.at || a.document - b.document || a.index - b.index);
    // The same time twice: the later document's version replaces the earlier.
    const timeline = given.filter((u, i) => i + 1 === given.length || given[i + 1].at !== u.at);
    const closedAt = (closes.get(id) ?? []).sort((a, b) => a - b);
    timeline.forEach((u, i) => {
      const next = timeline[i + 1];
      let end = next ? next.at : naturalEnd(u.event, u.at);
      const close = closedAt.find((t) => t > u.at);
      if (close !== undefined && close < end) end = close;
      versions.push({
        id,
        type: u.event.type,
        title: u.event.title,
        startsAt: new Date(u.at).toISOString(),
        endsAt: new Date(end).toISOString(),
        severity: u.event.severity,
        expectedDurationDays: u.event.expectedDurationDays,
        geometry: u.event.geometry,
        forecast: u.event.forecast ?? null,
      });
    });
  }
  return { versions, rejected, skipped };
}

/** When an event's last version ends by itself: its issuer's expiry, else its start plus its expected duration. */
function naturalEnd(event: IncomingEvent, at: number): number {
  const expires = event.expiresAt ? Date.parse(event.expiresAt) : NaN;
  return Number.isFinite(expires) ? expires : at + event.expectedDurationDays * DAY_MS;
}
