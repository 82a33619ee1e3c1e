import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ManagedTransaction } from 'neo4j-driver';
import { AuditLog } from '@tiersight/audit';
import type { EpcisDocument } from '@tiersight/epcis-formats';
import { prepareCapture, siteLocationsOf, type PreparedEvent } from './capture-model';
import { CaptureOutcome, CaptureRecord, CaptureRepository } from './capture.repository';
import { CaptureService, locationForbidden } from './capture.service';
import { aggregationRows, eventNodeProps, lotRows, newEventRow, siteKeysOf, transformationRows } from './event-rows';
import { eventHashDigest, merkleRoot, toHex } from './merkle';
import { locationKeys, supplierScopeErrors } from './site-scope';
import { TraceabilityError, TraceabilityFieldError } from './traceability.error';

/** What a capture job did. */
export type CaptureRunResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'refused'; errors: number }
  | ({ outcome: 'succeeded' } & Omit<CaptureOutcome, 'leafHashes'> & { treeSize: number });

/** A capture refused for what is stored (a clash of eventIDs): recorded as failed, not retried. */
class CaptureRefused extends Error {
  constructor(readonly errors: TraceabilityFieldError[]) {
    super('capture refused');
  }
}

/**
 * The worker side of a capture: reads the stored document again, and writes
 * every event of it — events, lots, their links, the sites they happened at —
 * in one transaction with the audit entry that records the Merkle root of the
 * events it stored. A document is captured whole or not at all.
 */
@Injectable()
export class CaptureRunner {
  constructor(
    private readonly captures: CaptureRepository,
    private readonly checks: CaptureService,
    private readonly audit: AuditLog,
  ) {}

  async run(captureId: string): Promise<CaptureRunResult> {
    const started = await this.captures.start(captureId);
    if (!started) return { outcome: 'skipped', reason: 'no such capture, or already finished' };
    const { capture, documentJson, documentSha256 } = started;
    if (documentJson === null) return { outcome: 'skipped', reason: 'the capture holds no document' };
    try {
      return await this.write(capture, this.storedDocument(documentJson, documentSha256));
    } catch (error) {
      const errors = refusalOf(error);
      if (!errors) throw error;
      await this.captures.markFailed(captureId, errors);
      return { outcome: 'refused', errors: errors.length };
    }
  }

  /** Marks a capture failed for good (its job ran out of tries), with the reason. */
  async fail(captureId: string, reason: string): Promise<void> {
    await this.captures.markFailed(captureId, [{ message: `the capture could not be written: ${reason}` }]);
  }

  /**
   * The stored document, read back. Only the API stores capture documents, and it stores one only
   * after validating it whole (CaptureService.submit, which answers schema errors with a 400), so
   * the worker does not validate it a second time (that doubled the CPU cost of a capture); it
   * checks instead that the text is the one whose SHA-256 the API recorded when it validated it.
   * A document stored without a digest is validated again.
   */
  private storedDocument(documentJson: string, documentSha256: string | null): EpcisDocument {
    if (documentSha256 === null) return this.checks.check(JSON.parse(documentJson) as unknown);
    if (createHash('sha256').update(documentJson, 'utf8').digest('hex') !== documentSha256) {
      throw new CaptureRefused([
        { message: 'the stored document is not the one validated when the capture was accepted (its SHA-256 differs); nothing was captured' },
      ]);
    }
    return JSON.parse(documentJson) as EpcisDocument;
  }

  private async write(capture: CaptureRecord, document: EpcisDocument): Promise<CaptureRunResult> {
    const prepared = prepareCapture(document);
    if (!prepared.ok) throw new CaptureRefused(prepared.errors);
    const { events } = prepared.capture;
    const recordTime = new Date();
    return this.captures.write(async (tx) => {
      const partyKeys = events.flatMap((e) => [...e.sources, ...e.destinations].flatMap((party) => siteKeysOf(party.location)));
      const named = events.filter((e) => e.declaredEventId !== null && !/^ni:/i.test(e.declaredEventId));
      const facts = await this.captures.storeFacts(tx, {
        keys: [...locationKeys(document), ...partyKeys],
        hashes: events.map((e) => e.eventHash),
        named: named.map((e) => ({ index: e.index, eventId: e.declaredEventId as string, eventHash: e.eventHash })),
      });
      const { sites, stored: known } = facts;
      if (capture.actorRole === 'supplier') {
        const scope = supplierScopeErrors(document, capture.actorSupplierId ?? '', sites);
        if (scope.errors.length > 0) throw locationForbidden(scope.errors, scope.locations);
      }
      refuseEventIdClashes(facts.clashes);
      const stored = events.filter((e) => !known.has(e.eventHash));
      await this.captures.writeLots(tx, lotRows(stored));
      await this.captures.createEvents(
        tx,
        capture.id,
        recordTime,
        stored.map((e) => newEventRow(e, sites)),
      );
      await this.captures.declareErrors(tx, errorDeclarations(events.filter((e) => known.has(e.eventHash))));
      await this.link(tx, stored);
      const leafHashes = stored.map((e) => e.eventHash);
      const root = toHex(merkleRoot(leafHashes.map(eventHashDigest)));
      const counts = {
        captured: stored.length,
        duplicates: document.epcisBody.eventList.length - stored.length,
        flagged: stored.filter((e) => e.declaredHashDiffers).length,
      };
      const entry = await this.audit.append(
        tx,
        { keyId: capture.actorKeyId, role: capture.actorRole, supplierId: capture.actorSupplierId },
        {
          action: 'epcis.capture',
          target: capture.id,
          change: {
            captureId: capture.id,
            merkleRoot: root,
            treeSize: leafHashes.length,
            tree: 'RFC 6962, leaf = SHA-256(0x00 ‖ event hash digest)',
            ...counts,
          },
        },
      );
      const contextJson = JSON.stringify(document['@context'] ?? null);
      await this.captures.complete(tx, capture.id, { ...counts, merkleRoot: root, leafHashes, auditSeq: entry.seq }, contextJson);
      return { outcome: 'succeeded', ...counts, merkleRoot: root, treeSize: leafHashes.length, auditSeq: entry.seq };
    });
  }

  /** What joins the newly stored events to earlier ones: transformations, aggregations, locations. */
  private async link(tx: ManagedTransaction, stored: readonly PreparedEvent[]): Promise<void> {
    const transformationIds = [
      ...new Set(stored.flatMap((e) => (e.type === 'TransformationEvent' && e.transformationId !== null ? [e.transformationId] : []))),
    ];
    await this.captures.writeTransformations(tx, transformationRows(stored), transformationIds);
    await this.captures.writeAggregations(
      tx,
      aggregationRows(stored).sort((a, b) => a.eventTimeMs - b.eventTimeMs),
    );
    await this.captures.countLocations(tx, locationCounts(stored));
  }
}

/** An eventID (other than a hash id) already naming a different stored event refuses the whole document. */
function refuseEventIdClashes(clashes: readonly { index: number; eventId: string; storedHash: string }[]): void {
  if (clashes.length === 0) return;
  throw new CaptureRefused(
    [...clashes]
      .sort((a, b) => a.index - b.index)
      .map((c) => ({
        eventIndex: c.index,
        pointer: `/epcisBody/eventList/${c.index}/eventID`,
        message: `eventID ${c.eventId} already names a captured event with different content (event hash ${c.storedHash}); an eventID names one event`,
      })),
  );
}

/** Error declarations carried by repeats of stored events. */
function errorDeclarations(repeats: readonly PreparedEvent[]): { eventHash: string; json: string }[] {
  return repeats.flatMap((e) => {
    const json = eventNodeProps(e).errorDeclarationJson;
    return e.errorDeclared && json !== null ? [{ eventHash: e.eventHash, json }] : [];
  });
}

/** Per location (readPoint, bizLocation) the events naming it and when. */
function locationCounts(events: readonly PreparedEvent[]) {
  const counts = new Map<string, { id: string; glnBase: string | null; events: number; firstSeenMs: number; lastSeenMs: number }>();
  for (const e of events) {
    for (const id of new Set(siteLocationsOf(e).map((l) => l.location.id))) {
      const location = (e.readPoint?.id === id ? e.readPoint : e.bizLocation) as { id: string; glnBase: string | null };
      const seen = counts.get(id);
      if (seen) {
        seen.events++;
        seen.firstSeenMs = Math.min(seen.firstSeenMs, e.eventTimeMs);
        seen.lastSeenMs = Math.max(seen.lastSeenMs, e.eventTimeMs);
      } else counts.set(id, { id, glnBase: location.glnBase, events: 1, firstSeenMs: e.eventTimeMs, lastSeenMs: e.eventTimeMs });
    }
  }
  return [...counts.values()];
}

/** The per-event errors of a refusal the capture records (and does not retry), or null for any other failure. */
function refusalOf(error: unknown): TraceabilityFieldError[] | null {
  if (error instanceof CaptureRefused) return error.errors;
  if (error instanceof TraceabilityError) return error.details?.errors ?? [{ message: error.message }];
  return null;
}
