import { expandCbvValue, normaliseEpc } from '@tiersight/epcis-formats';
import { eventLocation } from './capture-model';
import { TraceabilityError, TraceabilityErrorCode } from './traceability.error';

/** The EPCIS 2.0 query parameters this repository answers (EPCIS 2.0 §8.2.7.1, SimpleEventQuery), as the API receives them. */
export interface EventQueryParams {
  eventType?: string;
  GE_eventTime?: string;
  LT_eventTime?: string;
  GE_recordTime?: string;
  LT_recordTime?: string;
  EQ_action?: string;
  EQ_bizStep?: string;
  EQ_disposition?: string;
  EQ_readPoint?: string;
  EQ_bizLocation?: string;
  MATCH_epc?: string;
  MATCH_anyEPC?: string;
  MATCH_epcClass?: string;
  MATCH_anyEPCClass?: string;
  captureId?: string;
}

/** Which lots an EPC query parameter looks for, and in which roles. */
export interface LotMatch {
  ids: string[];
  roles: string[];
  byClass: boolean;
}

/** The parameters read into values comparable with what is stored. */
export interface EventFilter {
  eventTypes: string[] | null;
  eventTimeFrom: number | null;
  eventTimeBefore: number | null;
  recordTimeFrom: number | null;
  recordTimeBefore: number | null;
  actions: string[] | null;
  bizSteps: string[] | null;
  dispositions: string[] | null;
  readPoints: string[] | null;
  bizLocations: string[] | null;
  lots: LotMatch[];
  captureId: string | null;
}

const EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'];
const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'];
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
/** Most values one list parameter may name. */
const MAX_VALUES = 100;

const invalid = (field: string, message: string) =>
  new TraceabilityError(TraceabilityErrorCode.InvalidQuery, `${field}: ${message}`, { errors: [{ field, message }] });

/** A comma-separated parameter (EPCIS 2.0 REST binding: `|` is accepted as the separator too). */
function values(field: string, raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  const list = raw
    .split(/[,|]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (list.length === 0) throw invalid(field, 'names no value');
  if (list.length > MAX_VALUES) throw invalid(field, `names more than ${MAX_VALUES} values`);
  return [...new Set(list)];
}

function time(field: string, raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const ms = Date.parse(raw);
  if (!ZONED_TIME.test(raw.trim()) || Number.isNaN(ms)) throw invalid(field, `'${raw}' is not a date-time with its UTC offset (2024-05-01T00:00:00Z)`);
  return ms;
}

function lots(field: string, raw: string | undefined, roles: string[], byClass: boolean): LotMatch[] {
  const list = values(field, raw);
  if (list === null) return [];
  return [{ ids: list.map((epc) => lotIdOf(field, epc)), roles, byClass }];
}

/**
 * A lot or item id as the graph keeps it: a GS1 key in its canonical form;
 * EPCs outside the GS1 keys this repository normalises (GIAI, private URIs)
 * as given. A malformed GS1 key, or a value that is no URI, is an invalid query.
 */
export function lotIdOf(field: string, epc: string): string {
  const normalised = normaliseEpc(epc);
  if (normalised.ok) return normalised.canonical;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(epc) && normalised.code !== 'EPC_BAD_CHECK_DIGIT' && normalised.code !== 'EPC_BAD_SYNTAX') return epc;
  throw invalid(field, normalised.reason);
}

function locations(field: string, raw: string | undefined): string[] | null {
  return values(field, raw)?.map((id) => eventLocation(id).id) ?? null;
}

function oneOf(field: string, raw: string | undefined, allowed: readonly string[]): string[] | null {
  const list = values(field, raw);
  const bad = list?.find((v) => !allowed.includes(v));
  if (bad !== undefined) throw invalid(field, `'${bad}' is not one of ${allowed.join(', ')}`);
  return list;
}

/** Reads the query parameters; an unreadable one is a 400 naming it. */
export function eventFilter(params: EventQueryParams): EventFilter {
  const from = time('GE_eventTime', params.GE_eventTime);
  const before = time('LT_eventTime', params.LT_eventTime);
  return {
    eventTypes: oneOf('eventType', params.eventType, EVENT_TYPES),
    eventTimeFrom: from,
    eventTimeBefore: before,
    recordTimeFrom: time('GE_recordTime', params.GE_recordTime),
    recordTimeBefore: time('LT_recordTime', params.LT_recordTime),
    actions: oneOf('EQ_action', params.EQ_action, ACTIONS),
    bizSteps: values('EQ_bizStep', params.EQ_bizStep)?.map((v) => expandCbvValue('bizStep', v)) ?? null,
    dispositions: values('EQ_disposition', params.EQ_disposition)?.map((v) => expandCbvValue('disposition', v)) ?? null,
    readPoints: locations('EQ_readPoint', params.EQ_readPoint),
    bizLocations: locations('EQ_bizLocation', params.EQ_bizLocation),
    lots: [
      // EPCIS 2.0: MATCH_epc looks in epcList and childEPCs; MATCH_anyEPC also in parentID and the input and output lists.
      ...lots('MATCH_epc', params.MATCH_epc, ['observed', 'child'], false),
      ...lots('MATCH_anyEPC', params.MATCH_anyEPC, ['observed', 'child', 'parent', 'input', 'output'], false),
      ...lots('MATCH_epcClass', params.MATCH_epcClass, ['observed', 'child'], true),
      ...lots('MATCH_anyEPCClass', params.MATCH_anyEPCClass, ['observed', 'child', 'input', 'output'], true),
    ],
    captureId: params.captureId ?? null,
  };
}

/** The page cursor: the (eventTimeMs, eventHash) of the last event of the previous page, opaque to clients. */
export function encodeEventCursor(eventTimeMs: number, eventHash: string): string {
  return Buffer.from(`${eventTimeMs}|${eventHash}`, 'utf8').toString('base64url');
}

export function decodeEventCursor(cursor: string | undefined): { eventTimeMs: number; eventHash: string } | null {
  if (cursor === undefined || cursor === '') return null;
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(-?\d{1,16})\|(ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0)$/.exec(text);
  if (!match) throw invalid('cursor', 'not a cursor this API issued');
  return { eventTimeMs: Number(match[1]), eventHash: match[2] };
}
