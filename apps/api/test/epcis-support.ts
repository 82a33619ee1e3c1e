import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gs1CheckDigit } from '@tiersight/epcis-formats';
import type { Neo4jService } from '@tiersight/graph';
import { getJson, postJson, requestJson } from '../../../test/support/api-harness';
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
     OPTIONAL MATCH (e:EpcisEvent {captureId: c.id})
     WITH collect(DISTINCT c) AS captures, collect(DISTINCT e) AS events
     FOREACH (e IN events | DETACH DELETE e)
     FOREACH (c IN captures | DETACH DELETE c)`,
    { ids: captureIds },
  );
  await neo4j.run('MATCH (l:Lot) WHERE NOT (l)--(:EpcisEvent) DETACH DELETE l');
  await neo4j.run('MATCH (l:EpcisLocation) WHERE NOT EXISTS { MATCH (e:EpcisEvent) WHERE e.readPoint = l.id OR e.bizLocation = l.id } DELETE l');
}

/** A GS1 key with its check digit (a GLN from 12 digits, a GTIN-14 from 13). */
export const withCheckDigit = (body: string) => body + String(gs1CheckDigit(body));

export type LotFlowSite = 'R1' | 'M1' | 'F1';

/**
 * A lot flow over three tiers, R1 (tier 3) → M1 (tier 2) → F1 (tier 1) → the
 * SKU, as EPCIS 2.0 with this run's own GLNs and GTINs (a GLN or GTIN is
 * unique across the graph): ore made into melt at R1 on 1 March 2023, melt
 * into part at M1 on the 5th, the part into lots of the SKU at F1 on the 10th.
 * Its helpers raise a flood at M1 and run F1's cold room warm, and it removes
 * what its captures, flags and sensor stored.
 *
 * `p` is the run's prefix (lots carry it: keep it short, a lot has at most 20
 * characters); `companyHead` the first five digits of the GS1 company prefix,
 * one per test file, so that two files running at once never share a key.
 */
export function threeTierLotFlow(p: string, companyHead: string) {
  const company = `${companyHead}${String(Date.now() % 1e5).padStart(5, '0')}`;
  const GLN: Record<LotFlowSite, string> = { R1: withCheckDigit(`${company}01`), M1: withCheckDigit(`${company}02`), F1: withCheckDigit(`${company}03`) };
  /** The GTIN of an item reference: its first digit is the indicator. */
  const gtinOf = (item: string) => withCheckDigit(`${item[0]}${company}${item.slice(1)}`);
  const sgln = (site: LotFlowSite) => `urn:epc:id:sgln:${company}.${GLN[site].slice(10, 12)}.0`;
  const lgtin = (item: string, lot: string) => `urn:epc:class:lgtin:${company}.${item}.${p}${lot}`;
  /** The canonical id the API answers with (GS1 Digital Link). */
  const dl = (item: string, lot: string) => `https://id.gs1.org/01/${gtinOf(item)}/10/${p}${lot}`;
  /** Lots of the SKU are of item 099. */
  const skuGtin = gtinOf('099');
  const skuId = `${p}SKU`;
  const LOT = { ore: lgtin('011', 'ORE'), melt: lgtin('022', 'MELT'), part: lgtin('033', 'PART') };
  const ID = { melt: dl('022', 'MELT'), part: dl('033', 'PART') };
  const sensorId = `${p}fridge`;
  const captures: CaptureStatus[] = [];

  const transform = (site: LotFlowSite, time: string, inputs: string[], outputs: string[]) => ({
    type: 'TransformationEvent',
    eventTime: time,
    eventTimeZoneOffset: '+00:00',
    inputQuantityList: inputs.map((epcClass) => ({ epcClass, quantity: 100, uom: 'KGM' })),
    outputQuantityList: outputs.map((epcClass) => ({ epcClass, quantity: 90, uom: 'KGM' })),
    bizStep: 'commissioning',
    readPoint: { id: sgln(site) },
  });

  return {
    gtinOf,
    sgln,
    lgtin,
    dl,
    skuGtin,
    LOT,
    ID,
    /** A lot of the SKU received at a site. */
    observe: (site: LotFlowSite, time: string, lot: string, over: object = {}) => ({
      type: 'ObjectEvent',
      eventTime: time,
      eventTimeZoneOffset: '+00:00',
      action: 'OBSERVE',
      bizStep: 'receiving',
      quantityList: [{ epcClass: lgtin('099', lot), quantity: 5, uom: 'KGM' }],
      readPoint: { id: sgln(site) },
      ...over,
    }),
    /** The flow's three transformations, the part made into the given lots of the SKU. */
    events: (products: string[]) => [
      transform('R1', '2023-03-01T08:00:00Z', [LOT.ore], [LOT.melt]),
      transform('M1', '2023-03-05T08:00:00Z', [LOT.melt], [LOT.part]),
      transform('F1', '2023-03-10T08:00:00Z', [LOT.part], products),
    ],
    /** The graph import: one supplier and site (with its GLN) a tier, R1 → M1 → F1 → the SKU and any other SKU given. */
    network: (otherSkus: { id: string; name: string; gtin?: string }[] = []) => {
      const site = (id: LotFlowSite, lat: number) => ({
        id: p + id,
        supplierId: `${p}SUP-${id[0]}`,
        name: id,
        kind: 'plant',
        lat,
        lon: 30,
        country: 'DE',
        gln: GLN[id],
      });
      const skus = [{ id: skuId, name: 'Chilled meal', gtin: skuGtin }, ...otherSkus];
      return {
        suppliers: ['R', 'M', 'F'].map((s) => ({ id: `${p}SUP-${s}`, name: s, country: 'DE' })),
        sites: [site('R1', -40), site('M1', 0), site('F1', 40)],
        parts: [
          { id: `${p}P-melt`, name: 'Melt' },
          { id: `${p}P-part`, name: 'Part' },
        ],
        skus: skus.map((sku) => ({ ...sku, dailyRevenue: 100, category: 'food' })),
        supplies: [
          { fromSiteId: `${p}R1`, toSiteId: `${p}M1`, partId: `${p}P-melt`, share: 1, bufferDays: 0, leadTimeDays: 0 },
          { fromSiteId: `${p}M1`, toSiteId: `${p}F1`, partId: `${p}P-part`, share: 1, bufferDays: 0, leadTimeDays: 0 },
          ...skus.map((sku) => ({ fromSiteId: `${p}F1`, toSkuId: sku.id, partId: sku.id, share: 1, bufferDays: 0, leadTimeDays: 0 })),
        ],
      };
    },
    /** Captures the events as one document and waits for it; the capture is removed with the flow. */
    capture: async (url: string, events: object[]) => {
      const done = await capture(url, epcisDocument(events));
      captures.push(done);
      return done;
    },
    /** A flood over M1 (only) from 4 March 2023, still open. */
    flood: {
      id: `${p}EV-flood`,
      type: 'flood',
      title: 'River flood at M1',
      severity: 0.6,
      expectedDurationDays: 20,
      geometry: { type: 'Point', coordinates: [30, 0] },
      radiusKm: 20,
      startsAt: '2023-03-04T00:00:00Z',
    },
    sensorId,
    /** The excursion the cold-room readings raise (the too-warm rule). */
    excursionId: `sensor:${sensorId}:too-warm`,
    /** Registers F1's cold-room sensor. */
    addColdRoomSensor: (url: string) =>
      requestJson('PUT', `${url}/v1/sensors/${encodeURIComponent(sensorId)}`, { siteId: `${p}F1`, metric: 'temperature', unit: 'Cel' }),
    /** The cold room above 8 °C from 00:00 until 02:00 on 15 March 2023: the rule fires at 01:01 and clears at 02:00. */
    runColdRoomWarm: (url: string) => {
      const readings = [
        ['00:00', 12],
        ['00:30', 12],
        ['01:01', 12],
        ['02:00', 5],
      ].map(([hhmm, v]) => ({ n: sensorId, u: 'Cel', v, t: Date.parse(`2023-03-15T${hhmm}:00Z`) / 1000 }));
      return postJson(`${url}/v1/telemetry`, readings, { 'content-type': 'application/senml+json' });
    },
    /** Removes the lots' flags, the sensor's events and what the captures stored. */
    remove: async (neo4j: Neo4jService) => {
      await neo4j.run('MATCH (f:LotFlag) WHERE f.lotId CONTAINS $p DETACH DELETE f', { p });
      await neo4j.run('MATCH (e:Event) WHERE e.sensorId = $sensorId DETACH DELETE e', { sensorId });
      await deleteCaptures(
        neo4j,
        captures.map((c) => c.captureId),
      );
    },
  };
}
