import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEpcisDocument, type EpcisDocument } from '@tiersight/epcis-formats';
import { prepareCapture, type PreparedEvent } from './capture-model';
import { aggregationRows, lotRows, siteOf, transformationRows } from './event-rows';
import { supplierScopeErrors } from './site-scope';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'epcis');
const read = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, unknown>;
const lines = (path: string) =>
  readFileSync(join(FIXTURES, path), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

function prepared(doc: unknown): PreparedEvent[] {
  const valid = validateEpcisDocument(doc);
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  const result = prepareCapture(valid.document);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.capture.events;
}

const doc = (events: object[], context: unknown[] = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld']) => ({
  '@context': context,
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2024-05-01T00:00:00Z',
  epcisBody: { eventList: events },
});
const observe = (over: object = {}) => ({
  type: 'ObjectEvent',
  eventTime: '2024-05-01T10:00:00+02:00',
  eventTimeZoneOffset: '+02:00',
  action: 'OBSERVE',
  epcList: ['urn:epc:id:sgtin:4012345.011111.1001'],
  readPoint: { id: 'urn:epc:id:sgln:4012345.00001.0' },
  ...over,
});

describe('capture model: events read into what the graph stores', () => {
  // The ignore-fields document is taken apart below: its vectors assume a repository convention this one does not follow.
  const documents = readdirSync(join(FIXTURES, 'eventhash')).filter(
    (f) => f.endsWith('.jsonld') && read(`eventhash/${f}`).type === 'EPCISDocument' && !f.includes('IgnoreFields'),
  );

  it.each(documents)('hashes every event of %s as GS1 reference vectors say', (file) => {
    const hashes = lines(`eventhash/${file.replace('.jsonld', '.hashes')}`);
    const events = prepared(read(`eventhash/${file}`));
    // Events repeating an earlier one (same hash) are left out; the distinct hashes are the vectors'.
    expect(events.map((e) => e.eventHash)).toEqual([...new Set(hashes)].filter((h) => events.some((e) => e.eventHash === h)));
    for (const e of events) expect(hashes).toContain(e.eventHash);
  });

  it("hashes a repository's own fields like any extension (the vectors' ignoreFields convention is not the standard), and flags the declared hash", () => {
    const [withFields, plain] = prepared(read('eventhash/epcisDocHavingEventWithIgnoreFields.jsonld'));
    const [vector] = lines('eventhash/epcisDocHavingEventWithIgnoreFields.hashes');
    expect(plain.eventHash).toBe(vector);
    expect(plain.declaredHashDiffers).toBe(false);
    expect(withFields.eventHash).not.toBe(vector);
    expect(withFields.declaredHashDiffers).toBe(true);
    expect(withFields.declaredEventId).toBe(vector);
  });

  it('keeps and flags a declared hash eventID that is not the event hash, and leaves out a repeat of the same event', () => {
    const body = doc([
      observe({ eventID: 'ni:///sha-256;0000000000000000000000000000000000000000000000000000000000000000?ver=CBV2.0' }),
      observe({ eventID: 'ni:///sha-256;0000000000000000000000000000000000000000000000000000000000000000?ver=CBV2.0' }),
      observe({ epcList: ['urn:epc:id:sgtin:4012345.011111.1002'] }),
    ]);
    const valid = validateEpcisDocument(body);
    expect(valid.ok).toBe(true);
    const result = valid.ok ? prepareCapture(valid.document) : null;
    expect(result).toMatchObject({ ok: true, capture: { repeatsInDocument: 1 } });
    const events = result?.ok ? result.capture.events : [];
    expect(events.map((e) => e.declaredHashDiffers)).toEqual([true, false]);
    expect(events.map((e) => e.index)).toEqual([0, 2]);
  });

  it('refuses two different events declaring one eventID, with the pointer of the second', () => {
    const valid = validateEpcisDocument(doc([observe({ eventID: 'urn:uuid:1' }), observe({ eventID: 'urn:uuid:1', action: 'ADD' })]));
    expect(valid.ok && prepareCapture(valid.document)).toEqual({
      ok: false,
      errors: [{ eventIndex: 1, pointer: '/epcisBody/eventList/1/eventID', message: expect.stringContaining('urn:uuid:1') }],
    });
  });

  it('reads a transformation into canonical lots by role, and pairs every input with every output', () => {
    const [event] = prepared(read('eventhash/epcisDocWithXMLstartTagAndErrorDeclaration.jsonld'));
    expect(event.lots).toEqual([
      expect.objectContaining({ lotId: 'https://id.gs1.org/01/04012345111118/21/987', kind: 'sgtin', role: 'input', byClass: false }),
      expect.objectContaining({ lotId: 'https://id.gs1.org/01/04012345222227/10/87545GHGH', kind: 'lgtin', role: 'input', byClass: true, lot: '87545GHGH' }),
      expect.objectContaining({ lotId: 'https://id.gs1.org/01/04012345333336/21/AGHFG', kind: 'sgtin', role: 'output' }),
      expect.objectContaining({ lotId: 'https://id.gs1.org/01/04012345444445', kind: 'gtin', role: 'output', quantity: 452, uom: 'KGM' }),
    ]);
    expect(event.errorDeclared).toBe(true);
    expect(event.bizStep).toBe('https://ref.gs1.org/cbv/BizStep-commissioning');
    expect(event.readPoint).toEqual({
      raw: 'urn:epc:id:sgln:4012345.00000.0',
      id: 'https://id.gs1.org/414/4012345000009',
      glnBase: 'https://id.gs1.org/414/4012345000009',
    });
    const [pairs] = transformationRows([event]);
    expect(pairs.inputs).toHaveLength(2);
    expect(pairs.outputs).toHaveLength(2);
    expect(lotRows([event])).toHaveLength(4);
  });

  it('reads sensor reports with times resolved and units normalised', () => {
    const [event] = prepared(
      doc([
        observe({
          sensorElementList: [
            {
              sensorMetadata: { time: '2024-05-01T09:00:00Z', deviceID: 'urn:epc:id:giai:4000001.111' },
              sensorReport: [
                { type: 'gs1:Temperature', value: 41, uom: 'FAH' },
                { type: 'Temperature', value: 5.5, uom: 'CEL', time: '2024-05-01T09:30:00Z' },
                { type: 'Speed', value: 36, uom: 'KMH' },
                { type: 'Illuminance', value: 800, uom: 'LUX' },
              ],
            },
          ],
        }),
      ]),
    );
    expect(event.readings.map((r) => [r.type, r.time, r.normalisedValue, r.normalisedUom, r.deviceId])).toEqual([
      ['Temperature', '2024-05-01T09:00:00Z', 5, 'CEL', 'urn:epc:id:giai:4000001.111'],
      ['Temperature', '2024-05-01T09:30:00Z', 5.5, 'CEL', 'urn:epc:id:giai:4000001.111'],
      ['Speed', '2024-05-01T09:00:00Z', 10, 'MTS', 'urn:epc:id:giai:4000001.111'],
      ['Illuminance', '2024-05-01T09:00:00Z', 800, 'LUX', 'urn:epc:id:giai:4000001.111'],
    ]);
  });

  it('reads aggregations as parent and children, packing and unpacking', () => {
    const aggregation = (action: string) => ({
      type: 'AggregationEvent',
      eventTime: '2024-05-01T10:00:00Z',
      eventTimeZoneOffset: '+00:00',
      action,
      parentID: 'urn:epc:id:sscc:4012345.0000000001',
      childEPCs: ['urn:epc:id:sgtin:4012345.011111.1001', 'urn:epc:id:sgtin:4012345.011111.1002'],
      bizLocation: { id: 'urn:epc:id:sgln:4012345.00001.0' },
    });
    const events = prepared(doc([aggregation('ADD'), { ...aggregation('DELETE'), eventTime: '2024-05-02T10:00:00Z', childEPCs: [] }]));
    expect(aggregationRows(events)).toEqual([
      expect.objectContaining({
        action: 'ADD',
        parent: 'https://id.gs1.org/00/040123450000000016',
        children: ['https://id.gs1.org/01/04012345111118/21/1001', 'https://id.gs1.org/01/04012345111118/21/1002'],
      }),
      expect.objectContaining({ action: 'DELETE', children: [] }),
    ]);
  });
});

describe('supplier scope', () => {
  const mine = { siteId: 'S1', supplierId: 'SUP-A' };
  const theirs = { siteId: 'S2', supplierId: 'SUP-B' };
  const sites = new Map([
    ['https://id.gs1.org/414/4012345000016', mine],
    ['https://id.gs1.org/414/4012345000023', theirs],
  ]);

  it('matches a location with an extension to the site holding its GLN', () => {
    expect(siteOf({ id: 'https://id.gs1.org/414/4012345000016/254/7', glnBase: 'https://id.gs1.org/414/4012345000016' }, sites)).toBe(mine);
  });

  it('names every location that is not one of the supplier’s sites, and events without one', () => {
    const body = doc([
      observe(),
      observe({ readPoint: { id: 'urn:epc:id:sgln:4012345.00002.0' } }),
      observe({ readPoint: { id: 'urn:epc:id:sgln:4012345.00009.0' }, bizLocation: { id: 'urn:epc:id:sgln:4012345.00001.5' } }),
      observe({ readPoint: undefined }),
    ]);
    const valid = validateEpcisDocument(body);
    if (!valid.ok) throw new Error('invalid');
    const { errors, locations } = supplierScopeErrors(valid.document as EpcisDocument, 'SUP-A', sites);
    expect(locations).toEqual(['urn:epc:id:sgln:4012345.00002.0', 'urn:epc:id:sgln:4012345.00009.0']);
    expect(errors).toEqual([
      { eventIndex: 1, pointer: '/epcisBody/eventList/1/readPoint/id', message: expect.stringContaining('another supplier') },
      { eventIndex: 2, pointer: '/epcisBody/eventList/2/readPoint/id', message: expect.stringContaining('not the GLN of any of your sites') },
      { eventIndex: 3, pointer: '/epcisBody/eventList/3', message: expect.stringContaining('names no readPoint or bizLocation') },
    ]);
    expect(supplierScopeErrors(valid.document as EpcisDocument, 'SUP-B', sites).errors).toHaveLength(4);
  });
});
