import { join } from 'node:path';
import { epcisSchemaValidator } from './epcis-schema';
import { validateEpcisDocument } from './epcis-validation';
import { EPCIS_FIXTURES, filesIn, readJson } from './testing/epcis-fixtures';

const sample = (folder: string, file: string): unknown => readJson(join(EPCIS_FIXTURES, folder, file));

type Expected = readonly (readonly [pointer: string, message: RegExp])[];

/** Why each of openepcis' invalid capture documents must be refused: all its reasons, no others. */
const INVALID: Readonly<Record<string, Expected>> = {
  'Combination_of_events_with_missing_mandatory_fields.json': [
    ['/epcisBody/eventList/0/action', /missing required field 'action'/],
    ['/epcisBody/eventList/1/eventTimeZoneOffset', /missing required field 'eventTimeZoneOffset'/],
    ['/epcisBody/eventList/1/action', /missing required field 'action'/],
  ],
  'Combination_of_multiple_invalid_fields.json': [
    ['/epcisBody/eventList/0/bizStep', /'transforming' is not a CBV business step/],
    ['/epcisBody/eventList/1/disposition', /'in_transport' is not a CBV disposition/],
    ['/epcisBody/eventList/2/sourceList/0/type', /'place' is not a CBV source\/destination type/],
    ['/epcisBody/eventList/3/ilmd/materialType', /'materialType' is neither a field .* nor an extension named by a namespace/],
    ['/epcisBody/eventList/4/eventTime', /RFC 3339 date-time/],
    ['/epcisBody/eventList/4/action', /must be one of: OBSERVE, ADD, DELETE/],
  ],
  'Combination_of_non_standard_bizStep_and_disposition.json': [
    ['/epcisBody/eventList/0/bizStep', /'transforming' is not a CBV business step/],
    ['/epcisBody/eventList/1/disposition', /'in_transport' is not a CBV disposition/],
  ],
  'EPCISDocument_without_context.json': [['/@context', /missing required field '@context'/]],
  'ObjectEvent_with_ilmd_field_without_namespace.json': [['/epcisBody/eventList/0/ilmd/materialType', /nor an extension named by a namespace/]],
  'ObjectEvent_with_invalid_action.json': [['/epcisBody/eventList/0/action', /must be one of: OBSERVE, ADD, DELETE/]],
  // certificationInfo is a URI or a list of URIs; the schema reports both branches.
  'ObjectEvent_with_invalid_certificationInfo.json': [
    ['/epcisBody/eventList/0/certificationInfo/0', /must be a string/],
    ['/epcisBody/eventList/0/certificationInfo/1', /must be a string/],
    ['/epcisBody/eventList/0/certificationInfo', /must be a string/],
  ],
  'ObjectEvent_with_invalid_eventTime_format.json': [['/epcisBody/eventList/0/eventTime', /RFC 3339 date-time with a UTC offset/]],
  'ObjectEvent_with_non_standard_bizStep.json': [['/epcisBody/eventList/0/bizStep', /'transforming' is not a CBV business step/]],
  'ObjectEvent_with_non_standard_bizStep_in_second_event.json': [['/epcisBody/eventList/1/bizStep', /'transforming' is not a CBV business step/]],
  'ObjectEvent_with_non_standard_disposition.json': [['/epcisBody/eventList/0/disposition', /'in_transport' is not a CBV disposition/]],
  'ObjectEvent_with_quantity_as_text.json': [['/epcisBody/eventList/0/quantityList/0/quantity', /must be a number/]],
  'ObjectEvent_with_unknown_field_in_quantityList.json': [['/epcisBody/eventList/0/quantityList/0/weight', /unknown field 'weight'/]],
  'ObjectEvent_without_action_and_eventTime.json': [
    ['/epcisBody/eventList/0/eventTime', /missing required field 'eventTime'/],
    ['/epcisBody/eventList/0/eventTimeZoneOffset', /missing required field 'eventTimeZoneOffset'/],
    ['/epcisBody/eventList/0/action', /missing required field 'action'/],
  ],
  'ObjectEvent_without_identifier_list.json': [['/epcisBody/eventList/0', /needs epcList, or quantityList, or sensorElementList and readPoint/]],
};

describe('validateEpcisDocument: openepcis capture samples (fixtures/epcis/openepcis)', () => {
  const valid = filesIn(join('openepcis', 'valid'), '.json');
  const invalid = filesIn(join('openepcis', 'invalid'), '.json');

  it('covers every sample', () => {
    expect(valid).toHaveLength(1);
    expect(invalid.sort()).toEqual(Object.keys(INVALID).sort());
  });

  it.each(valid)('accepts valid/%s', (file) => {
    const doc = sample(join('openepcis', 'valid'), file);
    expect(validateEpcisDocument(doc)).toEqual({ ok: true, document: doc });
  });

  it.each(invalid)('refuses invalid/%s with its reasons', (file) => {
    const result = validateEpcisDocument(sample(join('openepcis', 'invalid'), file));
    if (result.ok) throw new Error(`${file} was accepted`);
    const expected = INVALID[file] ?? [];
    expect(result.errors).toHaveLength(expected.length);
    for (const [pointer, message] of expected) {
      const eventIndex = /^\/epcisBody\/eventList\/(\d+)/.exec(pointer)?.[1];
      expect(result.errors).toContainEqual(
        eventIndex === undefined
          ? { pointer, message: expect.stringMatching(message) }
          : { pointer, eventIndex: Number(eventIndex), message: expect.stringMatching(message) },
      );
    }
  });
});

describe('validateEpcisDocument: the event hash vectors are valid capture documents too', () => {
  const documents = filesIn('eventhash', '.jsonld').map((file) => [file, sample('eventhash', file)] as const);

  it.each(documents.filter(([, doc]) => (doc as { type: string }).type === 'EPCISDocument'))('accepts %s', (_file, doc) => {
    expect(validateEpcisDocument(doc)).toEqual({ ok: true, document: doc });
  });

  it.each(documents.filter(([, doc]) => (doc as { type: string }).type !== 'EPCISDocument'))('refuses %s: a query document is not captured', (_file, doc) => {
    expect(validateEpcisDocument(doc)).toEqual({ ok: false, errors: [{ pointer: '/type', message: "capture takes an 'EPCISDocument'" }] });
  });
});

/** A valid one-event document to break one rule at a time. */
function documentWith(event: Record<string, unknown>, context: unknown[] = []): Record<string, unknown> {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { example: 'https://ns.example.com/epcis/' }, ...context],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-05-01T08:00:00Z',
    epcisBody: {
      eventList: [
        {
          type: 'ObjectEvent',
          eventTime: '2024-05-01T09:30:00.000+02:00',
          eventTimeZoneOffset: '+02:00',
          epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
          action: 'OBSERVE',
          bizStep: 'shipping',
          readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
          ...event,
        },
      ],
    },
  };
}

const errorsOf = (doc: unknown) => {
  const result = validateEpcisDocument(doc);
  return result.ok ? [] : result.errors;
};
const EVENT = '/epcisBody/eventList/0';

describe('validateEpcisDocument: what the schema cannot say', () => {
  it('accepts the base document', () => {
    expect(errorsOf(documentWith({}))).toEqual([]);
  });

  describe('vocabulary values', () => {
    it.each([
      ['bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping'],
      ['bizStep', 'cbv:BizStep-receiving'],
      ['bizStep', 'https://example.com/vocab/bizstep/blending'],
      ['bizStep', 'urn:example:bizstep:blending'],
      ['disposition', 'in_transit'],
      ['disposition', 'https://ns.example.com/disp/quarantined'],
    ])('accepts %s %s', (field, value) => {
      expect(errorsOf(documentWith({ [field]: value }))).toEqual([]);
    });

    it.each([
      ['bizStep', 'blending', /'blending' is not a CBV business step/],
      ['bizStep', 'https://ref.gs1.org/cbv/BizStep-blending', /is not a CBV business step/],
      ['bizStep', 'https://ref.gs1.org/cbv/Disp-in_transit', /is a CBV disposition, not a business step/],
      ['bizStep', 'cbv:BizStep-blending', /is not a CBV business step/],
      // The EPCIS 2.0 JSON schema keeps the CBV URN form (the XML binding's) out of JSON documents.
      ['bizStep', 'urn:epcglobal:cbv:bizstep:shipping', /CBV URN form, which EPCIS 2.0 JSON does not take; write 'shipping'/],
      ['disposition', 'urn:epcglobal:cbv:disp:in_transport', /is not a CBV disposition/],
    ])('refuses %s %s', (field, value, message) => {
      expect(errorsOf(documentWith({ [field]: value }))).toEqual([{ pointer: `${EVENT}/${field}`, eventIndex: 0, message: expect.stringMatching(message) }]);
    });

    it('checks business transaction, source/destination and persistent disposition types', () => {
      const errors = errorsOf(
        documentWith({
          bizTransactionList: [{ type: 'purchase_order', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' }],
          destinationList: [{ type: 'location', destination: 'urn:epc:id:sgln:0614141.07346.0' }],
          persistentDisposition: { set: ['recalled', 'quarantined'] },
        }),
      );
      expect(errors.map((e) => e.pointer)).toEqual([`${EVENT}/persistentDisposition/set/1`, `${EVENT}/bizTransactionList/0/type`]);
    });

    it('checks sensor report types', () => {
      const sensor = (report: Record<string, unknown>) =>
        documentWith({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 4.5, uom: 'CEL', ...report }] }] });
      expect(errorsOf(sensor({}))).toEqual([]);
      expect(errorsOf(sensor({ type: 'Temperatur' })).map((e) => e.message)).toEqual([expect.stringMatching(/not a GS1 measurement type/)]);
      expect(errorsOf(sensor({ type: 'https://gs1.org/voc/Temperature' })).map((e) => e.message)).toEqual([expect.stringMatching(/as 'Temperature'/)]);
      expect(errorsOf(sensor({ exception: 'ALARM_CONDITION' }))).toEqual([]);
    });
  });

  describe('GS1 identifiers', () => {
    it.each([
      ['epcList', ['https://id.gs1.org/01/10614141073464/21/2017', 'https://brand.example/00/040123450000003338']],
      ['epcList', ['urn:example:thing:42']],
      ['quantityList', [{ epcClass: 'https://id.gs1.org/01/04012345123456/10/L1', quantity: 2.5, uom: 'KGM' }]],
      ['quantityList', [{ epcClass: 'urn:epc:idpat:sgtin:4012345.012345.*', quantity: 12 }]],
      ['readPoint', { id: 'geo:47.506694,11.104301' }],
      ['bizLocation', { id: 'https://id.gs1.org/414/4012345000115/254/987' }],
    ])('accepts %s %j', (field, value) => {
      expect(errorsOf(documentWith({ [field]: value }))).toEqual([]);
    });

    it.each([
      ['epcList', ['https://id.gs1.org/01/10614141073465/21/2017'], '/epcList/0', /bad check digit/],
      ['epcList', ['urn:epc:id:sgtin:0614141.10734.2017'], '/epcList/0', /must have 13 digits together/],
      ['epcList', ['urn:epc:class:lgtin:4012345.012345.Lot987'], '/epcList/0', /is not an instance/],
      ['quantityList', [{ epcClass: 'urn:epc:id:sgtin:0614141.107346.2017', quantity: 1 }], '/quantityList/0/epcClass', /is not a class/],
      ['readPoint', { id: 'urn:epc:id:sgtin:0614141.107346.2017' }, '/readPoint/id', /is not a location/],
      ['bizLocation', { id: 'https://id.gs1.org/414/4012345000116' }, '/bizLocation/id', /bad check digit/],
    ])('refuses %s %j', (field, value, pointer, message) => {
      expect(errorsOf(documentWith({ [field]: value }))).toEqual([{ pointer: `${EVENT}${pointer}`, eventIndex: 0, message: expect.stringMatching(message) }]);
    });
  });

  it('takes a quantity without unit of measure as a whole count', () => {
    expect(errorsOf(documentWith({ quantityList: [{ epcClass: 'https://id.gs1.org/01/04012345123456', quantity: 2.5 }] }))).toEqual([
      { pointer: `${EVENT}/quantityList/0/quantity`, eventIndex: 0, message: expect.stringMatching(/whole number/) },
    ]);
  });

  it('wants every time with its UTC offset', () => {
    expect(errorsOf(documentWith({ eventTime: '2024-05-01T09:30:00' }))).toEqual([
      { pointer: `${EVENT}/eventTime`, eventIndex: 0, message: expect.stringMatching(/has no UTC offset/) },
    ]);
    expect(errorsOf(documentWith({ eventTimeZoneOffset: '+2:00' }))).toEqual([
      { pointer: `${EVENT}/eventTimeZoneOffset`, eventIndex: 0, message: expect.stringMatching(/UTC offset ±hh:mm/) },
    ]);
    expect(errorsOf({ ...documentWith({}), creationDate: '2024-05-01T08:00:00' })).toEqual([
      { pointer: '/creationDate', message: expect.stringMatching(/has no UTC offset/) },
    ]);
  });

  it('reports every error of every event, each with its event', () => {
    const doc = documentWith({ bizStep: 'blending' });
    const body = doc['epcisBody'] as { eventList: Record<string, unknown>[] };
    body.eventList.push({ ...body.eventList[0], bizStep: 'shipping', disposition: 'lost', action: 'CREATE' });
    expect(errorsOf(doc)).toEqual([
      { pointer: '/epcisBody/eventList/1/action', eventIndex: 1, message: 'must be one of: OBSERVE, ADD, DELETE' },
      { pointer: '/epcisBody/eventList/0/bizStep', eventIndex: 0, message: expect.stringMatching(/'blending'/) },
      { pointer: '/epcisBody/eventList/1/disposition', eventIndex: 1, message: expect.stringMatching(/'lost'/) },
    ]);
  });

  it('refuses what is not a capture document', () => {
    expect(errorsOf('hello')).toEqual([{ pointer: '', message: 'an EPCIS document is a JSON object' }]);
    expect(errorsOf([])).toEqual([{ pointer: '', message: 'an EPCIS document is a JSON object' }]);
    expect(errorsOf({ ...documentWith({}), type: 'ObjectEvent' }).map((e) => e.pointer)).toContain('/type');
  });

  it('compiles the schema once', () => {
    expect(epcisSchemaValidator()).toBe(epcisSchemaValidator());
  });
});
