import { expandCbvValue, type EpcisEvent, type SensorElement } from '@tiersight/epcis-formats';

/** One sensor report of an event, with its measurement in the unit the platform compares in. */
export interface SensorReading {
  /** The GS1 measurement type without its namespace (`Temperature`), or the full URI of a private type. */
  type: string;
  /** When it was measured: the report's own time, else the element's, else the event's. */
  time: string;
  /** As reported. */
  value: number | null;
  uom: string | null;
  /** In the base unit of its quantity (`CEL`, `KGM`, `MTR`, `PAL`, `MTS`, `LTR`, `P1`), or as reported when the unit is not one this table converts. */
  normalisedValue: number | null;
  normalisedUom: string | null;
  minValue: number | null;
  maxValue: number | null;
  meanValue: number | null;
  exception: string | null;
  deviceId: string | null;
}

const GS1_VOC = 'https://gs1.org/voc/';

/** UN/ECE Recommendation 20 codes → base unit and the conversion into it. */
const UNITS: Readonly<Record<string, { base: string; convert: (v: number) => number }>> = {
  CEL: { base: 'CEL', convert: (v) => v },
  FAH: { base: 'CEL', convert: (v) => ((v - 32) * 5) / 9 },
  KEL: { base: 'CEL', convert: (v) => v - 273.15 },
  KGM: { base: 'KGM', convert: (v) => v },
  GRM: { base: 'KGM', convert: (v) => v / 1000 },
  MGM: { base: 'KGM', convert: (v) => v / 1e6 },
  TNE: { base: 'KGM', convert: (v) => v * 1000 },
  LBR: { base: 'KGM', convert: (v) => v * 0.45359237 },
  ONZ: { base: 'KGM', convert: (v) => v * 0.028349523125 },
  MTR: { base: 'MTR', convert: (v) => v },
  CMT: { base: 'MTR', convert: (v) => v / 100 },
  MMT: { base: 'MTR', convert: (v) => v / 1000 },
  KMT: { base: 'MTR', convert: (v) => v * 1000 },
  INH: { base: 'MTR', convert: (v) => v * 0.0254 },
  FOT: { base: 'MTR', convert: (v) => v * 0.3048 },
  PAL: { base: 'PAL', convert: (v) => v },
  KPA: { base: 'PAL', convert: (v) => v * 1000 },
  BAR: { base: 'PAL', convert: (v) => v * 1e5 },
  MBR: { base: 'PAL', convert: (v) => v * 100 },
  MTS: { base: 'MTS', convert: (v) => v },
  KMH: { base: 'MTS', convert: (v) => v / 3.6 },
  HM: { base: 'MTS', convert: (v) => v * 0.44704 },
  LTR: { base: 'LTR', convert: (v) => v },
  MLT: { base: 'LTR', convert: (v) => v / 1000 },
  MTQ: { base: 'LTR', convert: (v) => v * 1000 },
  P1: { base: 'P1', convert: (v) => v },
};

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Rounds away the float noise of a conversion (°F → °C) without losing real precision. */
const tidy = (value: number): number => Number(value.toPrecision(12));

function normalise(value: number | null, uom: string | null): { value: number | null; uom: string | null } {
  if (value === null || uom === null) return { value, uom };
  const unit = UNITS[uom];
  return unit ? { value: tidy(unit.convert(value)), uom: unit.base } : { value, uom };
}

function measurementType(raw: string, prefixes: Readonly<Record<string, string>>): string {
  const expanded = expandCbvValue('measurementType', raw, prefixes);
  return expanded.startsWith(GS1_VOC) ? expanded.slice(GS1_VOC.length) : expanded;
}

/**
 * The readings of an event's `sensorElementList`, one per report, with times
 * resolved and units normalised (EPCIS 2.0 §7.3.8: a report's time falls back
 * to its element's metadata, and then to the event time).
 */
export function sensorReadings(event: EpcisEvent, prefixes: Readonly<Record<string, string>>): SensorReading[] {
  const elements: readonly SensorElement[] = Array.isArray(event.sensorElementList) ? event.sensorElementList : [];
  const readings: SensorReading[] = [];
  for (const element of elements) {
    if (!isRecord(element)) continue;
    const metadata = isRecord(element.sensorMetadata) ? element.sensorMetadata : {};
    const elementTime = text(metadata['time']) ?? text(metadata['startTime']) ?? event.eventTime;
    for (const report of Array.isArray(element.sensorReport) ? element.sensorReport : []) {
      if (!isRecord(report)) continue;
      const type = text(report['type']);
      const uom = text(report['uom']);
      const value = num(report['value']);
      const normalised = normalise(value, uom);
      readings.push({
        type: type === null ? 'unspecified' : measurementType(type, prefixes),
        time: text(report['time']) ?? elementTime,
        value,
        uom,
        normalisedValue: normalised.value,
        normalisedUom: normalised.uom,
        minValue: normalise(num(report['minValue']), uom).value,
        maxValue: normalise(num(report['maxValue']), uom).value,
        meanValue: normalise(num(report['meanValue']), uom).value,
        exception: text(report['exception']),
        deviceId: text(report['deviceID']) ?? text(metadata['deviceID']),
      });
    }
  }
  return readings;
}
