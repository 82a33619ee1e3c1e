import type { OutlookChangeKind } from './enums';
import type { Exposure, ExposureNumbers } from './exposure';
import type { EXPOSURE_CHANGE_VERSION } from './exposure-change';

/** An anticipated event behind an outlook, with its probability (DESIGN §10). */
export interface AnticipatedEventRef {
  eventId: string;
  /** Probability the event's anticipated impacts happen, 0 < p < 1. */
  p: number;
  /** What the anticipation stands on (a sensor's trend forecast, an advisory), when the event records it; added on read. */
  forecast?: unknown;
}

/**
 * The outlook of a SKU whose state under observed plus anticipated impacts is
 * worse than its observed state (DESIGN §10): the outlook's numbers, how likely
 * it is and the anticipated events behind it.
 */
export interface ExposureOutlook extends ExposureNumbers {
  /**
   * The largest p among the anticipated events that alone (observed plus that
   * one event) make the SKU worse. When none does alone and only several
   * together do (`joint`), the product of their p: the chance that all of them
   * happen, which is enough for the outlook.
   */
  p: number;
  /** The events that alone make it worse, or (`joint`) those that together do; sorted by p descending, then id. */
  events: AnticipatedEventRef[];
  /** True when no anticipated event alone makes the SKU worse, only several together. */
  joint: boolean;
}

/**
 * One SKU's outlook change between two runs: what it was, what it is, and the
 * observed exposure now. Published on the exposure change stream beside the
 * exposure changes, in an entry's `outlook` field (an exposure change is in
 * its `change` field), versioned like them.
 */
export interface OutlookChangeMessage {
  v: typeof EXPOSURE_CHANGE_VERSION;
  kind: OutlookChangeKind;
  skuId: string;
  /** The stored outlook before the run; null when it appeared. */
  before: ExposureOutlook | null;
  /** The outlook after the run; null when cleared. */
  after: ExposureOutlook | null;
  /** The SKU's observed exposure after the run, null when it is not exposed. */
  observed: Exposure | null;
}
