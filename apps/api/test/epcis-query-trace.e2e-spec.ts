jest.setTimeout(180_000);

import type { INestApplication } from '@nestjs/common';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { capture, CaptureStatus, deleteCaptures, epcisDocument } from './epcis-support';

// Three sites, three tiers: R1 (raw, tier 3) → M1 (tier 2) → F1 (tier 1) → the SKU.
const GLN = { R1: '4012345000016', M1: '4012345000023', F1: '4012345000030' };
const SKU_GTIN = '04012345123456';
const WINDOW = 'GE_eventTime=2023-03-01T00:00:00Z&LT_eventTime=2023-04-01T00:00:00Z';

const sgln = (gln: string) => `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0`;
const lgtin = (item: string, lot: string) => `urn:epc:class:lgtin:4012345.${item}.${lot}`;
const dl = (gtin: string, lot: string) => `https://id.gs1.org/01/${gtin}/10/${lot}`;

describe('EPCIS queries and lot traces (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('trc');
  const queuePrefix = p.slice(0, -1);
  let api: RunningApi;
  let worker: INestApplication;
  let supplierKey = '';
  const captures: CaptureStatus[] = [];
  const lot = (name: string) => `${p}${name}`;
  const L = {
    ore: lgtin('011111', lot('L0')),
    melt: lgtin('022222', lot('L1')),
    side: lgtin('033333', lot('S1')),
    part: lgtin('044444', lot('L2')),
    product: lgtin('012345', lot('L3')),
  };

  const transform = (site: keyof typeof GLN, day: number, inputs: string[], outputs: string[], over: object = {}) => ({
    type: 'TransformationEvent',
    eventTime: `2023-03-${String(day).padStart(2, '0')}T08:00:00+01:00`,
    eventTimeZoneOffset: '+01:00',
    ...(inputs.length ? { inputQuantityList: inputs.map((epcClass) => ({ epcClass, quantity: 100, uom: 'KGM' })) } : {}),
    ...(outputs.length ? { outputQuantityList: outputs.map((epcClass) => ({ epcClass, quantity: 90, uom: 'KGM' })) } : {}),
    bizStep: 'commissioning',
    readPoint: { id: sgln(GLN[site]) },
    ...over,
  });

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
    const site = (id: string, supplierId: string, gln: string) => ({
      id: p + id,
      supplierId: p + supplierId,
      name: id,
      kind: 'plant',
      lat: 1,
      lon: 1,
      country: 'DE',
      gln,
    });
    const imported = await postJson(`${api.url}/v1/graph/import`, {
      suppliers: ['R', 'M', 'F'].map((s) => ({ id: `${p}SUP-${s}`, name: s, country: 'DE' })),
      sites: [site('R1', 'SUP-R', GLN.R1), site('M1', 'SUP-M', GLN.M1), site('F1', 'SUP-F', GLN.F1)],
      parts: [
        { id: p + 'P-melt', name: 'Melt' },
        { id: p + 'P-part', name: 'Part' },
      ],
      skus: [{ id: p + 'SKU', name: 'Widget', dailyRevenue: 100, gtin: SKU_GTIN }],
      supplies: [
        { fromSiteId: p + 'R1', toSiteId: p + 'M1', partId: p + 'P-melt', share: 1, bufferDays: 0, leadTimeDays: 0 },
        { fromSiteId: p + 'M1', toSiteId: p + 'F1', partId: p + 'P-part', share: 1, bufferDays: 0, leadTimeDays: 0 },
        { fromSiteId: p + 'F1', toSkuId: p + 'SKU', partId: p + 'SKU', share: 1, bufferDays: 0, leadTimeDays: 0 },
      ],
    });
    expect(imported.status).toBe(200);
    const key = await postJson(`${api.url}/v1/admin/keys`, { role: 'supplier', supplierId: p + 'SUP-M' });
    supplierKey = `Bearer ${key.body.key}`;

    const tid = `urn:uuid:${p}t3`;
    const shipped = {
      type: 'ObjectEvent',
      eventTime: '2023-03-11T08:00:00+01:00',
      eventTimeZoneOffset: '+01:00',
      action: 'OBSERVE',
      bizStep: 'shipping',
      quantityList: [{ epcClass: L.product, quantity: 90, uom: 'KGM' }],
      readPoint: { id: `https://id.gs1.org/414/${GLN.F1}` },
      destinationList: [{ type: 'location', destination: sgln(GLN.M1) }],
    };
    const documents = [
      // The melt shop, then the part maker (a side input joins there), then the final plant in two events sharing a transformationID.
      [transform('R1', 1, [L.ore], [L.melt]), transform('M1', 5, [L.melt, L.side], [L.part])],
      [transform('F1', 10, [L.part], [], { transformationID: tid })],
      [transform('F1', 10, [], [L.product], { transformationID: tid, eventTime: '2023-03-10T09:00:00+01:00' }), shipped],
    ];
    for (const events of documents) {
      const done = await capture(api.url, epcisDocument(events));
      expect(done.status).toBe('succeeded');
      captures.push(done);
    }
  });

  afterAll(async () => {
    await worker.close();
    await obliterateQueues(api.app);
    await deleteCaptures(
      api.neo4j,
      captures.map((c) => c.captureId),
    );
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  const query = async (params: string, headers: Record<string, string> = {}) => {
    const res = await getJson(`${api.url}/v1/epcis/events?${WINDOW}&${params}`, headers);
    expect({ params, status: res.status }).toEqual({ params, status: 200 });
    return { ...res, events: (res.body?.epcisBody?.queryResults?.resultsBody?.eventList ?? []) as Record<string, unknown>[] };
  };
  const times = (events: Record<string, unknown>[]) => events.map((e) => e.eventTime);

  it('answers an EPCISQueryDocument, oldest event first, every event with its hash', async () => {
    const all = await query('limit=50');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ type: 'EPCISQueryDocument', schemaVersion: '2.0', epcisBody: { queryResults: { queryName: 'SimpleEventQuery' } } });
    expect(times(all.events)).toEqual([
      '2023-03-01T08:00:00+01:00',
      '2023-03-05T08:00:00+01:00',
      '2023-03-10T08:00:00+01:00',
      '2023-03-10T09:00:00+01:00',
      '2023-03-11T08:00:00+01:00',
    ]);
    for (const e of all.events) expect(e['tiersight:eventHash']).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });

  it('filters by event type, business step, location and time, comparing canonical forms', async () => {
    expect((await query('eventType=TransformationEvent')).events).toHaveLength(4);
    expect(times((await query('EQ_bizStep=https://ref.gs1.org/cbv/BizStep-shipping')).events)).toEqual(['2023-03-11T08:00:00+01:00']);
    expect((await query('EQ_bizStep=shipping,commissioning')).events).toHaveLength(5);
    // The readPoint was captured as an EPC URN for three events and as a Digital Link for one; both forms find all four.
    expect((await query(`EQ_readPoint=${encodeURIComponent(sgln(GLN.F1))}`)).events).toHaveLength(3);
    expect((await query(`EQ_readPoint=${encodeURIComponent(`https://id.gs1.org/414/${GLN.F1}`)}`)).events).toHaveLength(3);
    const early = await getJson(`${api.url}/v1/epcis/events?GE_eventTime=2023-03-01T00:00:00Z&LT_eventTime=2023-03-05T07:00:00Z`);
    expect(times(early.body.epcisBody.queryResults.resultsBody.eventList)).toEqual(['2023-03-01T08:00:00+01:00']);
    // The bound is an instant: 08:00+01:00 on the 5th is 07:00Z, so LT excludes it and GE includes it.
    const later = await getJson(`${api.url}/v1/epcis/events?GE_eventTime=2023-03-05T07:00:00Z&LT_eventTime=2023-03-10T07:00:00Z`);
    expect(times(later.body.epcisBody.queryResults.resultsBody.eventList)).toEqual(['2023-03-05T08:00:00+01:00']);
  });

  it('matches EPCs by role: MATCH_epcClass in quantity lists, MATCH_anyEPCClass in inputs and outputs too', async () => {
    const product = encodeURIComponent(L.product);
    expect(times((await query(`MATCH_epcClass=${product}`)).events)).toEqual(['2023-03-11T08:00:00+01:00']);
    expect(times((await query(`MATCH_anyEPCClass=${product}`)).events)).toEqual(['2023-03-10T09:00:00+01:00', '2023-03-11T08:00:00+01:00']);
    expect((await query(`MATCH_anyEPCClass=${encodeURIComponent(dl('04012345444445', lot('L2')))}`)).events).toHaveLength(2);
    expect((await query(`MATCH_anyEPC=${encodeURIComponent('urn:epc:id:sgtin:4012345.011111.none')}`)).events).toHaveLength(0);
  });

  it('pages with limit and cursor (and a Link header) without losing or repeating an event', async () => {
    const seen: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await query(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.events.map((e) => e['tiersight:eventHash']));
      cursor = res.body['tiersight:nextCursor'] as string | null;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const linked = await requestJson('GET', `${api.url}/v1/epcis/events?${WINDOW}&limit=2`);
    expect(linked.headers.get('link')).toMatch(/^<\/v1\/epcis\/events\?.*cursor=[A-Za-z0-9_-]+.*>; rel="next"$/);
  });

  it('refuses an unreadable query parameter with 400 problem+json naming it', async () => {
    for (const params of [
      'GE_eventTime=yesterday',
      'eventType=ShipEvent',
      'MATCH_epc=https://id.gs1.org/01/04012345111119/21/1',
      'cursor=bm9wZQ',
      'perPage=3',
    ]) {
      const res = await getJson(`${api.url}/v1/epcis/events?${params}`);
      expect({ params, status: res.status, type: res.type }).toEqual({ params, status: 400, type: expect.stringContaining('application/problem+json') });
    }
  });

  it('shows a supplier the events at its own sites only', async () => {
    const mine = await query('limit=50', { authorization: supplierKey });
    expect(times(mine.events)).toEqual(['2023-03-05T08:00:00+01:00']);
  });

  it('traces a lot backward through three transformation levels, with where (site, tier) and when', async () => {
    const res = await getJson(`${api.url}/v1/trace/${encodeURIComponent(L.product)}?direction=backward&depth=10`);
    expect(res.status).toBe(200);
    expect(res.body.lot).toMatchObject({
      lotId: dl(SKU_GTIN, lot('L3')),
      kind: 'lgtin',
      origin: { eventTime: '2023-03-10T09:00:00+01:00', site: { siteId: `${p}F1`, tier: 1 } },
    });
    const byLot = Object.fromEntries((res.body.lots as { lotId: string }[]).map((l) => [l.lotId, l]));
    expect(Object.keys(byLot).sort()).toEqual(
      [dl('04012345111118', lot('L0')), dl('04012345222227', lot('L1')), dl('04012345333336', lot('S1')), dl('04012345444445', lot('L2'))].sort(),
    );
    expect(byLot[dl('04012345444445', lot('L2'))]).toMatchObject({
      depth: 1,
      via: dl(SKU_GTIN, lot('L3')),
      event: { type: 'TransformationEvent', site: { siteId: `${p}F1`, tier: 1 } },
    });
    expect(byLot[dl('04012345222227', lot('L1'))]).toMatchObject({
      depth: 2,
      event: { eventTime: '2023-03-05T08:00:00+01:00', site: { siteId: `${p}M1`, tier: 2 } },
    });
    expect(byLot[dl('04012345333336', lot('S1'))]).toMatchObject({ depth: 2, via: dl('04012345444445', lot('L2')) });
    expect(byLot[dl('04012345111118', lot('L0'))]).toMatchObject({ depth: 3, event: { site: { siteId: `${p}R1`, supplierId: `${p}SUP-R`, tier: 3 } } });
    expect(res.body.truncated).toBe(false);

    const shallow = await getJson(`${api.url}/v1/trace/${encodeURIComponent(L.product)}?direction=backward&depth=2`);
    expect(shallow.body.lots).toHaveLength(3);
    expect(shallow.body.truncated).toBe(true);
  });

  it('traces a lot forward to every lot and SKU it went into (its recall scope)', async () => {
    const res = await getJson(`${api.url}/v1/trace/${encodeURIComponent(dl('04012345111118', lot('L0')))}?direction=forward`);
    expect(res.status).toBe(200);
    expect((res.body.lots as { lotId: string; depth: number }[]).map((l) => [l.depth, l.lotId])).toEqual([
      [1, dl('04012345222227', lot('L1'))],
      [2, dl('04012345444445', lot('L2'))],
      [3, dl(SKU_GTIN, lot('L3'))],
    ]);
    expect(res.body.skus).toEqual([{ skuId: `${p}SKU`, name: 'Widget', gtin: SKU_GTIN, lotIds: [dl(SKU_GTIN, lot('L3'))] }]);
  });

  it('answers 404 for a lot no event names and 400 for a bad direction or depth', async () => {
    expect((await getJson(`${api.url}/v1/trace/${encodeURIComponent(lgtin('099999', lot('none')))}`)).status).toBe(404);
    for (const q of ['direction=sideways', 'depth=0', 'depth=26', 'depth=x']) {
      const res = await getJson(`${api.url}/v1/trace/${encodeURIComponent(L.product)}?${q}`);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
    expect((await getJson(`${api.url}/v1/trace/${encodeURIComponent(L.product)}`, { authorization: supplierKey })).status).toBe(403);
  });

  it('links shipping to the destination site and packs and unpacks aggregations', async () => {
    const shipped = await api.neo4j.run(
      `MATCH (e:EpcisEvent {bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping'})-[d:DESTINATION]->(s:Site) WHERE s.id = $site RETURN d.type AS type`,
      {
        site: `${p}M1`,
      },
    );
    expect(shipped.records.map((r) => r.get('type'))).toEqual(['location']);

    const pallet = 'urn:epc:id:sscc:4012345.0000000042';
    const aggregation = (action: string, day: number) => ({
      type: 'AggregationEvent',
      eventTime: `2023-03-${day}T08:00:00Z`,
      eventTimeZoneOffset: '+00:00',
      action,
      parentID: pallet,
      childQuantityList: action === 'DELETE' ? undefined : [{ epcClass: L.product, quantity: 10, uom: 'KGM' }],
      bizLocation: { id: sgln(GLN.F1) },
    });
    const packed = await capture(api.url, epcisDocument([aggregation('ADD', 12)]));
    captures.push(packed);
    const count = () =>
      api.neo4j.run('MATCH (:Lot {id: $child})-[r:PACKED_IN]->(:Lot {id: $parent}) RETURN count(r) AS n', {
        child: dl(SKU_GTIN, lot('L3')),
        parent: 'https://id.gs1.org/00/040123450000000429',
      });
    expect((await count()).records[0].get('n')).toBe(1);
    const unpacked = await capture(api.url, epcisDocument([aggregation('DELETE', 13)]));
    captures.push(unpacked);
    expect((await count()).records[0].get('n')).toBe(0);
  });
});
