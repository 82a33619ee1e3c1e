import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Neo4jService } from '@tiersight/graph';
import { getJson, requestJson } from '../../../test/support/api-harness';
import { eventually } from '../../../test/support/wait';

/** fixtures/epcis: the public EPCIS samples and event-hash vectors. */
export const EPCIS_FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'epcis');

export const readFixture = (path: string) => JSON.parse(readFileSync(join(EPCIS_FIXTURES, path), 'utf8')) as Record<string, unknown>;

export const fixtureLines = (path: string) =>
  readFileSync(join(EPCIS_FIXTURES, path), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

export const fixtureFiles = (folder: string, extension: string) =>
  readdirSync(join(EPCIS_FIXTURES, folder))
    .filter((f) => f.endsWith(extension))
    .sort();

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** An EPCISDocument around the given events. */
export const epcisDocument = (events: object[]) => ({
  '@context': [EPCIS_CONTEXT, { example: 'https://ns.example.com/epcis/' }],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2024-05-01T00:00:00Z',
  epcisBody: { eventList: events },
});

/** POSTs a capture document as `type` (JSON-LD unless told) with the given key (the API's admin key when none). */
export function postCapture(url: string, body: unknown, authorization?: string, type = 'application/ld+json') {
  return requestJson('POST', `${url}/v1/epcis/capture`, typeof body === 'string' ? body : JSON.stringify(body), {
    'content-type': type,
    ...(authorization ? { authorization } : {}),
  });
}

export interface CaptureStatus {
  captureId: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  counts: { events: number; captured: number | null; duplicates: number | null; flagged: number | null };
  errors: { eventIndex?: number; pointer?: string; message: string }[];
  merkleRoot: string | null;
  auditSeq: number | null;
}

/** Waits until the worker finished the capture; its final status. */
export function settled(url: string, captureId: string, authorization?: string): Promise<CaptureStatus> {
  return eventually(`capture ${captureId} finished`, async () => {
    const res = await getJson(`${url}/v1/epcis/capture/${captureId}`, authorization ? { authorization } : {});
    const body = res.body as CaptureStatus;
    return res.status === 200 && (body.status === 'succeeded' || body.status === 'failed') ? body : undefined;
  });
}

/** Posts a document with the given key and waits for its capture to finish. */
export async function capture(url: string, body: unknown, authorization?: string): Promise<CaptureStatus> {
  const res = await postCapture(url, body, authorization);
  if (res.status !== 202) throw new Error(`capture answered ${res.status}: ${JSON.stringify(res.body)}`);
  return settled(url, (res.body as { captureId: string }).captureId, authorization);
}

/** The event path of an id (eventID or hash), URL-encoded. */
export const eventUrl = (url: string, id: string) => `${url}/v1/epcis/events/${encodeURIComponent(id)}`;

/** Removes what the given captures stored: their events, the lots and locations only they named, and the capture records. */
export async function deleteCaptures(neo4j: Neo4jService, captureIds: string[]): Promise<void> {
  await neo4j.run(
    `MATCH (c:EpcisCapture) WHERE c.id IN $ids
     OPTIONAL MATCH (c)-[:CAPTURED]->(e:EpcisEvent)
     WITH collect(DISTINCT c) AS captures, collect(DISTINCT e) AS events
     FOREACH (e IN events | DETACH DELETE e)
     FOREACH (c IN captures | DETACH DELETE c)`,
    { ids: captureIds },
  );
  await neo4j.run('MATCH (l:Lot) WHERE NOT (l)--(:EpcisEvent) DETACH DELETE l');
  await neo4j.run('MATCH (l:EpcisLocation) WHERE NOT EXISTS { MATCH (e:EpcisEvent) WHERE e.readPoint = l.id OR e.bizLocation = l.id } DELETE l');
}
