import { validateEpcisDocument } from '@tiersight/epcis-formats';
import { DEFAULT_RULES, type RuleConfig } from '@tiersight/telemetry';
import { prepareCapture, type PreparedEvent } from './capture-model';
import { causeWindows, covers, metricOf, readingFlags, windowFlags, type CauseEvent, type LotReadingEvent, type Observation } from './lot-flags';

const T0 = Date.parse('2024-05-01T00:00:00Z');
const HOUR = 3_600_000;
const NOW = new Date('2024-06-01T00:00:00Z');

const event = (over: Partial<CauseEvent> = {}): CauseEvent => ({
  id: 'EV-1',
  source: 'push',
  type: 'flood',
  title: 'River flood',
  startsAtMs: T0,
  closedAtMs: T0 + 10 * HOUR,
  anticipated: false,
  sensorId: null,
  ruleId: null,
  hits: [{ siteId: 'S1', intensity: 0.5, anticipated: false, surveyState: null }],
  ...over,
});

const seen = (lotId: string, siteId: string, hoursAfterT0: number, eventHash = `h-${lotId}-${hoursAfterT0}`): Observation => ({
  lotId,
  siteId,
  eventHash,
  eventTimeMs: T0 + hoursAfterT0 * HOUR,
});

const flagged = (events: CauseEvent[], observations: Observation[]) => windowFlags(causeWindows(events), observations, NOW);

describe('lot flags from disruption events and sensor excursions', () => {
  it('flags the lots observed at a hit site inside the window: start included, end excluded', () => {
    const flags = flagged(
      [event()],
      [seen('L-before', 'S1', -0.001), seen('L-start', 'S1', 0), seen('L-inside', 'S1', 5), seen('L-end', 'S1', 10), seen('L-after', 'S1', 11)],
    );
    expect(flags.map((f) => f.lotId)).toEqual(['L-inside', 'L-start']);
    expect(flags[1]).toEqual({
      lotId: 'L-start',
      cause: { kind: 'event', id: 'EV-1', eventType: 'flood', title: 'River flood', sensorId: null, ruleId: null, metric: null },
      siteId: 'S1',
      window: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-01T10:00:00.000Z' },
      observedAt: '2024-05-01T00:00:00.000Z',
      epcisEventHash: 'h-L-start-0',
      flaggedAt: NOW.toISOString(),
    });
  });

  it('keeps an active event open: every later observation is inside', () => {
    const flags = flagged([event({ closedAtMs: null })], [seen('L-late', 'S1', 24 * 365)]);
    expect(flags).toHaveLength(1);
    expect(flags[0].window.to).toBeNull();
    expect(covers({ fromMs: 0, toMs: null }, Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('flags only at the sites the event hits', () => {
    expect(flagged([event()], [seen('L-elsewhere', 'S2', 5)])).toEqual([]);
  });

  it('gives one flag per (lot, cause), from the earliest observation, whatever the order and repeats', () => {
    const observations = [seen('L', 'S1', 7), seen('L', 'S1', 3), seen('L', 'S2', 1), seen('L', 'S1', 3, 'a-first-hash')];
    const events = [event({ hits: [...event().hits, { siteId: 'S2', intensity: 1, anticipated: false, surveyState: null }] })];
    const once = flagged(events, observations);
    expect(once).toHaveLength(1);
    expect(once[0]).toMatchObject({ siteId: 'S2', observedAt: '2024-05-01T01:00:00.000Z' });
    // Same input again, reversed, or doubled: the same flag.
    expect(flagged(events, [...observations].reverse())).toEqual(once);
    expect(flagged([...events, ...events], [...observations, ...observations])).toEqual(once);
  });

  it('keeps the smaller event hash between two observations of one instant', () => {
    const flags = flagged([event()], [seen('L', 'S1', 3, 'b'), seen('L', 'S1', 3, 'a')]);
    expect(flags.map((f) => f.epcisEventHash)).toEqual(['a']);
  });

  it('flags once per cause: two events covering the same observation give two flags', () => {
    const flags = flagged([event(), event({ id: 'EV-2', title: 'Strike' })], [seen('L', 'S1', 2)]);
    expect(flags.map((f) => f.cause.id)).toEqual(['EV-1', 'EV-2']);
  });

  it('flags nothing for anticipated events or hits, hits without loss, sites answered "not impacted", events with no start or an empty window', () => {
    const hit = (over: object) => [{ siteId: 'S1', intensity: 0.5, anticipated: false, surveyState: null, ...over }];
    const none = [
      event({ anticipated: true }),
      event({ hits: hit({ anticipated: true }) }),
      event({ hits: hit({ intensity: 0 }) }),
      event({ hits: hit({ intensity: null }) }),
      event({ hits: hit({ surveyState: 'no-impact' }) }),
      event({ startsAtMs: null }),
      event({ closedAtMs: T0 }),
    ];
    for (const e of none) expect(flagged([e], [seen('L', 'S1', 0), seen('L', 'S1', 5)])).toEqual([]);
    // A confirmed survey answer keeps the hit.
    expect(flagged([event({ hits: hit({ surveyState: 'confirmed' }) })], [seen('L', 'S1', 5)])).toHaveLength(1);
  });

  it('names a sensor excursion by its sensor and rule', () => {
    const excursion = event({ id: 'sensor:T-1:too-warm', source: 'telemetry', type: 'sensor', sensorId: 'T-1', ruleId: 'too-warm', closedAtMs: null });
    const [flag] = flagged([excursion], [seen('L', 'S1', 1)]);
    expect(flag.cause).toEqual({
      kind: 'sensor',
      id: 'sensor:T-1:too-warm',
      eventType: 'sensor',
      title: 'River flood',
      sensorId: 'T-1',
      ruleId: 'too-warm',
      metric: null,
    });
  });
});

/** Events read through the real capture model, so units are normalised as they are when captured. */
function prepared(events: object[]): PreparedEvent[] {
  const valid = validateEpcisDocument({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-05-01T00:00:00Z',
    epcisBody: { eventList: events },
  });
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  const result = prepareCapture(valid.document);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.capture.events;
}

const LOT = 'urn:epc:class:lgtin:4012345.011111.B1';
/** One ObjectEvent naming the lot, with one temperature report per [minutes after 10:00, value]. */
const withReadings = (reports: Array<[number, number]>, uom = 'CEL', type = 'gs1:Temperature', eventTime = '2024-05-01T10:00:00Z') => ({
  type: 'ObjectEvent',
  eventTime,
  eventTimeZoneOffset: '+00:00',
  action: 'OBSERVE',
  quantityList: [{ epcClass: LOT, quantity: 10, uom: 'KGM' }],
  readPoint: { id: 'urn:epc:id:sgln:4012345.00001.0' },
  sensorElementList: [
    {
      sensorMetadata: { deviceID: 'urn:epc:id:giai:4000001.111' },
      sensorReport: reports.map(([minutes, value]) => ({
        type,
        value,
        uom,
        time: new Date(Date.parse('2024-05-01T10:00:00Z') + minutes * 60_000).toISOString(),
      })),
    },
  ],
});

const lotEvents = (events: object[], siteId: string | null = 'S1'): LotReadingEvent[] =>
  prepared(events).flatMap((e) => e.lots.map((l) => ({ lotId: l.lotId, eventHash: e.eventHash, siteId, readings: e.readings })));

const readingFlagsOf = (events: object[], rules: RuleConfig = DEFAULT_RULES) => readingFlags(lotEvents(events), rules, NOW);

describe("lot flags from the lot's own sensor readings", () => {
  it('flags a lot kept above the cold-chain limit for the rule’s duration (too-warm: above 8 °C for 60 minutes)', () => {
    const flags = readingFlagsOf([
      withReadings([
        [0, 5],
        [10, 9],
        [40, 9.5],
        [70, 10],
        [90, 4],
      ]),
    ]);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      cause: {
        kind: 'reading',
        id: 'reading:temperature:too-warm',
        eventType: 'sensor',
        ruleId: 'too-warm',
        metric: 'temperature',
        sensorId: 'urn:epc:id:giai:4000001.111',
      },
      siteId: 'S1',
      window: { from: '2024-05-01T11:10:00.000Z', to: '2024-05-01T11:30:00.000Z' },
      observedAt: '2024-05-01T11:10:00.000Z',
    });
    expect(flags[0].lotId).toBe('https://id.gs1.org/01/04012345111118/10/B1');
  });

  it('does not flag an excursion shorter than the rule’s duration, nor a value at the threshold', () => {
    expect(
      readingFlagsOf([
        withReadings([
          [0, 9],
          [59, 9],
          [70, 7],
        ]),
      ]),
    ).toEqual([]);
    expect(
      readingFlagsOf([
        withReadings([
          [0, 8],
          [120, 8],
        ]),
      ]),
    ).toEqual([]);
  });

  it('compares in °C: readings in °F and K are converted before the rules read them', () => {
    // 50 °F = 10 °C (too warm), 46.4 °F = 8 °C (not above 8); 283.15 K = 10 °C.
    expect(
      readingFlagsOf([
        withReadings(
          [
            [0, 50],
            [61, 50],
          ],
          'FAH',
        ),
      ]).map((f) => f.cause.id),
    ).toEqual(['reading:temperature:too-warm']);
    expect(
      readingFlagsOf([
        withReadings(
          [
            [0, 46.4],
            [61, 46.4],
          ],
          'FAH',
        ),
      ]),
    ).toEqual([]);
    expect(
      readingFlagsOf([
        withReadings(
          [
            [0, 283.15],
            [61, 283.15],
          ],
          'KEL',
        ),
      ]).map((f) => f.window.from),
    ).toEqual(['2024-05-01T11:01:00.000Z']);
  });

  it('joins the readings of every event that named the lot, whatever order they come in', () => {
    const first = withReadings([[0, 9]], 'CEL', 'gs1:Temperature', '2024-05-01T10:00:00Z');
    const second = withReadings([[65, 9.5]], 'CEL', 'gs1:Temperature', '2024-05-01T11:05:00Z');
    expect(readingFlagsOf([first])).toEqual([]);
    const both = readingFlagsOf([first, second]);
    expect(both.map((f) => f.observedAt)).toEqual(['2024-05-01T11:05:00.000Z']);
    expect(readingFlagsOf([second, first])).toEqual(both);
    // Repeats change nothing: one flag per (lot, rule).
    expect(readingFlagsOf([first, second, first, second])).toEqual(both);
  });

  it('fires below and rate rules too, each its own cause', () => {
    const flags = readingFlagsOf([
      withReadings([
        [0, 5],
        [1, 1.5],
        [30, 1],
        [62, 1.2],
      ]),
    ]);
    expect(flags.map((f) => f.cause.id)).toEqual(['reading:temperature:swing', 'reading:temperature:too-cold']);
    expect(flags[0].window).toEqual({ from: '2024-05-01T10:01:00.000Z', to: '2024-05-01T10:30:00.000Z' });
  });

  it('follows the configured rules for the metric, and humidity in percent', () => {
    const rules: RuleConfig = { metrics: { humidity: [{ id: 'damp', kind: 'above', threshold: 70, forMinutes: 0, x: 0.1, days: 1 }] } };
    expect(readingFlagsOf([withReadings([[0, 75]], 'P1', 'gs1:RelativeHumidity')], rules).map((f) => f.cause.id)).toEqual(['reading:humidity:damp']);
    expect(readingFlagsOf([withReadings([[0, 75]], 'P1', 'gs1:RelativeHumidity')])).toEqual([]);
    expect(readingFlagsOf([withReadings([[0, 65]], 'P1', 'gs1:RelativeHumidity')], rules)).toEqual([]);
  });

  it('leaves out readings it cannot compare: a temperature in a unit with no conversion, private measurement types', () => {
    const odd = prepared([withReadings([[0, 99]], 'XYZ')])[0].readings[0];
    expect(metricOf(odd)).toBeNull();
    expect(metricOf({ ...odd, type: 'https://example.com/voc/Tilt', normalisedUom: 'CEL' })).toBeNull();
    expect(metricOf({ ...odd, type: 'Pressure', normalisedUom: 'PAL' })).toBe('pressure');
    const rules: RuleConfig = { metrics: { temperature: [{ id: 'any', kind: 'above', threshold: 0, forMinutes: 0, x: 0.1, days: 1 }] } };
    expect(readingFlagsOf([withReadings([[0, 99]], 'XYZ')], rules)).toEqual([]);
  });

  it('reads the worst aggregate of a report without a value (the maximum for an "above" rule)', () => {
    const rules: RuleConfig = { metrics: { temperature: [{ id: 'hot', kind: 'above', threshold: 8, forMinutes: 0, x: 0.1, days: 1 }] } };
    const aggregate = withReadings([[0, 5]]);
    const report = aggregate.sensorElementList[0].sensorReport[0] as Record<string, unknown>;
    delete report.value;
    Object.assign(report, { minValue: 3, maxValue: 12, meanValue: 5 });
    expect(readingFlagsOf([aggregate], rules).map((f) => f.cause.id)).toEqual(['reading:temperature:hot']);
  });
});
