import type { LotFlagCauseKind } from './enums';

/** What flagged a lot: a disruption event, a sensor excursion (an event of source telemetry), or a rule its own readings broke. */
export interface LotFlagCause {
  kind: LotFlagCauseKind;
  /** The event id (`event`, `sensor`), or `reading:<metric>:<ruleId>` for the lot's own readings. */
  id: string;
  /** The disruption event's type (`earthquake`, …); `sensor` for excursions and readings. */
  eventType: string | null;
  title: string | null;
  sensorId: string | null;
  ruleId: string | null;
  metric: string | null;
}

/**
 * One flag of one lot, stored once per (lot, cause) (DESIGN §11). The window
 * is the cause's active window as it stood when the lot was flagged (`to` null
 * while still open); `observedAt` and `epcisEventHash` name the EPCIS event
 * that put the lot inside it (for readings, the event whose reading fired the rule).
 */
export interface LotFlag {
  lotId: string;
  cause: LotFlagCause;
  /** The site the lot was observed at; null for readings taken at a location no site claims. */
  siteId: string | null;
  window: { from: string; to: string | null };
  observedAt: string;
  epcisEventHash: string;
  flaggedAt: string;
}

/** A flagged lot's recall scope: its forward trace, the lots and SKUs it went into (itself included when it is a unit of a SKU). */
export interface RecallScope {
  skus: { skuId: string; name: string; gtin: string; lotIds: string[] }[];
  /** The lots it went into, nearest first (at most the first RECALL_LOTS_SHOWN; `lotCount` counts them all). */
  lots: string[];
  lotCount: number;
  /** The trace stopped at its depth or size limit with more beyond. */
  truncated: boolean;
}

/** Lots of a recall scope an alert or a list names one by one. */
export const RECALL_LOTS_SHOWN = 200;

/** A new flag on its way to the webhook subscriptions, with what the alert shows of its lot and recall scope. */
export interface LotFlagAlert {
  flag: LotFlag;
  lot: { lotId: string; kind: string; gtin: string | null; lot: string | null; serial: string | null };
  recall: RecallScope;
}
