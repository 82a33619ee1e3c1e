import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { AuditActor } from '@tiersight/audit';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { validateEpcisDocument, type EpcisDocument } from '@tiersight/epcis-formats';
import { QueueProducer } from '@tiersight/queues';
import { CaptureRecord, CaptureRepository } from './capture.repository';
import { locationKeys, supplierScopeErrors } from './site-scope';
import { TraceabilityError, TraceabilityErrorCode, TraceabilityFieldError } from './traceability.error';

/** Problems reported per refused document; the total is always in the message. */
export const MAX_REPORTED_ERRORS = 1000;

const CAPTURE_ID = /^cap_[A-Za-z0-9_-]{16}$/;

export const newCaptureId = (): string => `cap_${randomBytes(12).toString('base64url')}`;

/** What POST /v1/epcis/capture answers (202). */
export interface CaptureAccepted {
  captureId: string;
  status: 'pending';
  eventCount: number;
  links: { self: string };
}

/** What GET /v1/epcis/capture/:id answers. */
export interface CaptureView {
  captureId: string;
  status: CaptureRecord['status'];
  /** EPCIS 2.0 capture interface: a refused document is rolled back whole. */
  captureErrorBehaviour: 'rollback';
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: { events: number; captured: number | null; duplicates: number | null; flagged: number | null };
  errors: TraceabilityFieldError[];
  merkleRoot: string | null;
  auditSeq: number | null;
  links: { self: string; events: string };
}

export const capturePath = (id: string) => `/v1/epcis/capture/${id}`;

/** The API side of a capture: checks a document whole, stores it and queues its writing. */
@Injectable()
export class CaptureService {
  constructor(
    private readonly captures: CaptureRepository,
    private readonly producer: QueueProducer,
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
  ) {}

  /**
   * Accepts a capture document: the event count, the EPCIS 2.0 schema and
   * rules, and (for a supplier key) that every location is one of the
   * supplier's sites are checked now; the events are written by the worker,
   * all or nothing.
   */
  async submit(body: unknown, actor: AuditActor, requestId?: string): Promise<CaptureAccepted> {
    const document = this.check(body);
    if (actor.role === 'supplier') await this.checkSupplierScope(document, actor.supplierId ?? '');
    const id = newCaptureId();
    const documentJson = JSON.stringify(document);
    await this.captures.create({
      id,
      documentJson,
      documentSha256: createHash('sha256').update(documentJson, 'utf8').digest('hex'),
      eventCount: document.epcisBody.eventList.length,
      actorKeyId: actor.keyId,
      actorRole: actor.role,
      actorSupplierId: actor.supplierId ?? null,
      requestId: requestId ?? null,
    });
    // The capture id is the job id: a retried request for the same capture can never queue it twice.
    await this.producer.enqueue('epcis.capture', { v: 1, captureId: id, requestId }, { jobId: id });
    return { captureId: id, status: 'pending', eventCount: document.epcisBody.eventList.length, links: { self: capturePath(id) } };
  }

  /** A capture's status and counts; a supplier key sees only its own supplier's captures. */
  async status(id: string, actor: AuditActor): Promise<CaptureView> {
    const capture = CAPTURE_ID.test(id) ? await this.captures.get(id) : null;
    if (!capture || (actor.role === 'supplier' && capture.actorSupplierId !== actor.supplierId)) {
      throw new TraceabilityError(TraceabilityErrorCode.CaptureNotFound, `capture ${id} does not exist`);
    }
    return {
      captureId: capture.id,
      status: capture.status,
      captureErrorBehaviour: 'rollback',
      createdAt: capture.createdAt,
      startedAt: capture.startedAt,
      finishedAt: capture.finishedAt,
      counts: { events: capture.eventCount, captured: capture.captured, duplicates: capture.duplicates, flagged: capture.flagged },
      errors: capture.errors,
      merkleRoot: capture.merkleRoot,
      auditSeq: capture.auditSeq,
      links: { self: capturePath(capture.id), events: `/v1/epcis/events?captureId=${capture.id}` },
    };
  }

  /** The document, validated whole; every problem of every event is reported by its JSON pointer. */
  check(body: unknown): EpcisDocument {
    const count = eventCountOf(body);
    if (count > this.config.EPCIS_MAX_EVENTS) {
      throw new TraceabilityError(
        TraceabilityErrorCode.TooManyEvents,
        `the document holds ${count} events, more than the ${this.config.EPCIS_MAX_EVENTS} one capture may hold (EPCIS_MAX_EVENTS); split it`,
      );
    }
    const result = validateEpcisDocument(body);
    if (!result.ok) {
      throw new TraceabilityError(
        TraceabilityErrorCode.InvalidDocument,
        `the document is not a valid EPCIS 2.0 capture document: ${result.errors.length} problem(s); nothing was captured`,
        { errors: result.errors.slice(0, MAX_REPORTED_ERRORS).map((e) => ({ pointer: e.pointer, eventIndex: e.eventIndex, message: e.message })) },
      );
    }
    return result.document;
  }

  private async checkSupplierScope(document: EpcisDocument, supplierId: string): Promise<void> {
    const sites = await this.captures.sitesByGln(locationKeys(document));
    const { errors, locations } = supplierScopeErrors(document, supplierId, sites);
    if (errors.length > 0) throw locationForbidden(errors, locations);
  }
}

/** 403: the offending locations named in the detail (the first few) and every one in `errors`. */
export function locationForbidden(errors: TraceabilityFieldError[], locations: string[]): TraceabilityError {
  const named = locations.length === 0 ? 'events without a location' : locations.slice(0, 3).join(', ') + (locations.length > 3 ? ', …' : '');
  return new TraceabilityError(
    TraceabilityErrorCode.LocationForbidden,
    `a supplier key captures events only at its own sites; not yours: ${named}; nothing was captured`,
    { errors: errors.slice(0, MAX_REPORTED_ERRORS) },
  );
}

function eventCountOf(body: unknown): number {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(body) || !isRecord(body.epcisBody)) return 0;
  const list = body.epcisBody.eventList;
  return Array.isArray(list) ? list.length : 0;
}
