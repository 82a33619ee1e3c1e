import type { LotFlag, LotFlagCause } from '@tiersight/contracts';
import { emptySensorState, evaluateReadings, rulesFor, type RuleConfig, type SensorRule } from '@tiersight/telemetry';
import type { SensorReading } from './sensor-readings';

/**
 * The risk link (DESIGN §11), as pure decisions: which lots a disruption event
 * or a sensor excursion flags (the lots observed at a site it hit, inside its
 * active window), and which lots their own EPCIS sensor readings flag (the
 * readings break a telemetry rule, evaluated by the telemetry rule engine).
 * One flag per (lot, cause); the repository writes each once.
 */

/** A disruption event or a sensor excursion (an event of source `telemetry`) as the graph holds it, with its hits. */
export interface CauseEvent {
  id: string;
  source: string | null;
  type: string | null;
  title: string | null;
  startsAtMs: number | null;
  /** When it was closed; null while active. */
  closedAtMs: number | null;
  /** A forecast's event (DESIGN §10): what may come flags nothing. */
  anticipated: boolean;
  sensorId: string | null;
  ruleId: string | null;
  hits: CauseHit[];
}

export interface CauseHit {
  siteId: string;
  intensity: number | null;
  anticipated: boolean;
  /** The site supplier's survey answer for the event, if any (`no-impact`: the site was not affected). */
  surveyState: string | null;
}

/** A cause's active window at the sites it covers: `fromMs` included, `toMs` excluded (null while open). */
export interface CauseWindow {
  cause: LotFlagCause;
  siteIds: string[];
  fromMs: number;
  toMs: number | null;
}

/** A lot named by an EPCIS event that happened at a site. */
export interface Observation {
  lotId: string;
  siteId: string;
  eventHash: string;
  eventTimeMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** True when the window covers the instant: from its start (included) until it closed (excluded). */
export function covers(window: { fromMs: number; toMs: number | null }, timeMs: number): boolean {
  return timeMs >= window.fromMs && (window.toMs === null || timeMs < window.toMs);
}

/** A hit that counts: observed (not anticipated), with a loss, and not answered "not impacted" by the site's supplier. */
const counts = (hit: CauseHit) => !hit.anticipated && hit.intensity !== null && hit.intensity > 0 && hit.surveyState !== 'no-impact';

/**
 * The windows of the given events at the sites they hit. An anticipated event,
 * one without a start, or one closed before it started has none; a sensor
 * excursion is the telemetry event of one (sensor, rule).
 */
export function causeWindows(events: readonly CauseEvent[]): CauseWindow[] {
  const windows: CauseWindow[] = [];
  for (const event of events) {
    if (event.anticipated || event.startsAtMs === null) continue;
    if (event.closedAtMs !== null && event.closedAtMs <= event.startsAtMs) continue;
    const siteIds = [...new Set(event.hits.filter(counts).map((h) => h.siteId))].sort();
    if (siteIds.length === 0) continue;
    const sensor = event.source === 'telemetry' && event.sensorId !== null;
    windows.push({
      cause: {
        kind: sensor ? 'sensor' : 'event',
        id: event.id,
        eventType: event.type,
        title: event.title,
        sensorId: sensor ? event.sensorId : null,
        ruleId: sensor ? event.ruleId : null,
        metric: null,
      },
      siteIds,
      fromMs: event.startsAtMs,
      toMs: event.closedAtMs,
    });
  }
  return windows;
}

/** Orders candidates so the first one kept per (lot, cause) is the earliest observation (then the smaller event hash). */
const earlier = (a: { eventTimeMs: number; eventHash: string }, b: { eventTimeMs: number; eventHash: string }) =>
  a.eventTimeMs - b.eventTimeMs || (a.eventHash < b.eventHash ? -1 : a.eventHash > b.eventHash ? 1 : 0);

/**
 * The lots the windows flag: every lot observed at a covered site inside the
 * window, once per (lot, cause), by its earliest such observation.
 */
export function windowFlags(windows: readonly CauseWindow[], observations: readonly Observation[], flaggedAt: Date): LotFlag[] {
  const bySite = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = bySite.get(o.siteId);
    if (list) list.push(o);
    else bySite.set(o.siteId, [o]);
  }
  const flags = new Map<string, LotFlag & { eventTimeMs: number }>();
  for (const window of windows) {
    for (const siteId of window.siteIds) {
      for (const o of [...(bySite.get(siteId) ?? [])].sort(earlier)) {
        if (!covers(window, o.eventTimeMs)) continue;
        const key = flagKey(o.lotId, window.cause.id);
        const kept = flags.get(key);
        if (kept && earlier({ eventTimeMs: kept.eventTimeMs, eventHash: kept.epcisEventHash }, o) <= 0) continue;
        flags.set(key, {
          lotId: o.lotId,
          cause: window.cause,
          siteId,
          window: { from: iso(window.fromMs), to: window.toMs === null ? null : iso(window.toMs) },
          observedAt: iso(o.eventTimeMs),
          epcisEventHash: o.eventHash,
          flaggedAt: flaggedAt.toISOString(),
          eventTimeMs: o.eventTimeMs,
        });
      }
    }
  }
  return sortFlags([...flags.values()].map(({ eventTimeMs: _t, ...flag }) => flag));
}

/** The one key of a flag: a lot and a cause. */
export const flagKey = (lotId: string, causeId: string) => `${lotId}\u0000${causeId}`;

/** The events that named a lot, with the sensor readings each carried (units already normalised) and the site it happened at. */
export interface LotReadingEvent {
  lotId: string;
  eventHash: string;
  siteId: string | null;
  readings: readonly SensorReading[];
}

/**
 * GS1 measurement types → the telemetry metric whose rules apply and the unit
 * its thresholds are in (the base unit readings are normalised to). Any other
 * GS1 type is compared as its lower-cased name (`Pressure` → `pressure`) in
 * its base unit; a reading in a unit with no conversion is not compared.
 */
export const MEASUREMENT_METRICS: Readonly<Record<string, { metric: string; uom: string }>> = {
  Temperature: { metric: 'temperature', uom: 'CEL' },
  RelativeHumidity: { metric: 'humidity', uom: 'P1' },
};

/** Units readings are normalised to (sensor-readings.ts): a reading left in any other unit was not converted. */
const BASE_UNITS = new Set(['CEL', 'KGM', 'MTR', 'PAL', 'MTS', 'LTR', 'P1']);

/** The metric a reading is checked as, or null when it cannot be compared with the rules' thresholds. */
export function metricOf(reading: SensorReading): string | null {
  const known = MEASUREMENT_METRICS[reading.type];
  if (known) return reading.normalisedUom === known.uom ? known.metric : null;
  if (!/^[A-Z][A-Za-z]*$/.test(reading.type) || reading.normalisedUom === null || !BASE_UNITS.has(reading.normalisedUom)) return null;
  return reading.type[0].toLowerCase() + reading.type.slice(1);
}

/**
 * The value a rule reads from a report: the measurement itself, else its
 * aggregate that is worst for the rule (the maximum for "above", the minimum
 * for "below"), else its mean.
 */
function valueFor(rule: SensorRule, reading: SensorReading): number | null {
  if (reading.normalisedValue !== null) return reading.normalisedValue;
  const worst = rule.kind === 'above' ? reading.maxValue : rule.kind === 'below' ? reading.minValue : null;
  return worst ?? reading.meanValue;
}

interface Sample {
  t: number;
  reading: SensorReading;
  eventHash: string;
  siteId: string | null;
}

/**
 * The lots whose own readings break a rule: per lot and metric, every reading
 * of every event that named the lot, in time order, through the telemetry rule
 * engine (threshold for a duration, rate of change; a no-reading rule has no
 * meaning for readings carried by events). One flag per (lot, metric, rule),
 * from the rule's first firing: its window runs from the reading that fired it
 * until the reading that cleared it (open when none did).
 */
export function readingFlags(events: readonly LotReadingEvent[], rules: RuleConfig, flaggedAt: Date): LotFlag[] {
  const series = new Map<string, { lotId: string; metric: string; samples: Sample[] }>();
  for (const event of events) {
    for (const reading of event.readings) {
      const metric = metricOf(reading);
      const ms = Date.parse(reading.time);
      if (metric === null || !Number.isFinite(ms)) continue;
      const key = flagKey(event.lotId, metric);
      const entry = series.get(key) ?? { lotId: event.lotId, metric, samples: [] };
      entry.samples.push({ t: ms / 1000, reading, eventHash: event.eventHash, siteId: event.siteId });
      series.set(key, entry);
    }
  }
  const flags: LotFlag[] = [];
  for (const { lotId, metric, samples } of series.values()) {
    samples.sort((a, b) => a.t - b.t || (a.eventHash < b.eventHash ? -1 : a.eventHash > b.eventHash ? 1 : 0));
    for (const rule of rulesFor(rules, metric)) {
      if (rule.kind === 'no-reading') continue;
      const usable = samples.flatMap((s) => {
        const v = valueFor(rule, s.reading);
        return v === null ? [] : [{ ...s, v }];
      });
      const { transitions } = evaluateReadings(
        emptySensorState(),
        [rule],
        usable.map(({ t, v }) => ({ t, v })),
      );
      const raised = transitions.find((tr) => tr.kind === 'raised');
      if (!raised) continue;
      const cleared = transitions.find((tr) => tr.kind === 'cleared' && tr.at > raised.at);
      // The engine keeps the first reading of an instant; so does this lookup.
      const fired = usable.find((s) => s.t === raised.at)!;
      flags.push({
        lotId,
        cause: {
          kind: 'reading',
          id: `reading:${metric}:${rule.id}`,
          eventType: 'sensor',
          title: `${metric} rule ${rule.id} broken by the lot's own sensor readings`,
          sensorId: fired.reading.deviceId,
          ruleId: rule.id,
          metric,
        },
        siteId: fired.siteId,
        window: { from: iso(raised.at * 1000), to: cleared ? iso(cleared.at * 1000) : null },
        observedAt: iso(raised.at * 1000),
        epcisEventHash: fired.eventHash,
        flaggedAt: flaggedAt.toISOString(),
      });
    }
  }
  return sortFlags(flags);
}

function sortFlags(flags: LotFlag[]): LotFlag[] {
  return flags.sort((a, b) => (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : a.cause.id < b.cause.id ? -1 : a.cause.id > b.cause.id ? 1 : 0));
}
