import type { ExposureChangeKind } from './enums';
import type { Exposure } from './exposure';

/** Redis stream (under the queue prefix) the risk runs publish exposure and outlook changes on and the alert fan-out reads. */
export const EXPOSURE_CHANGES_STREAM = 'exposure-changes';

/** The one version of ExposureChangeMessage; a reader skips any other. */
export const EXPOSURE_CHANGE_VERSION = 1;

/** One entry of the exposure change stream (its `change` field, as JSON). */
export interface ExposureChangeMessage {
  v: typeof EXPOSURE_CHANGE_VERSION;
  kind: ExposureChangeKind;
  skuId: string;
  /** The stored exposure before the run; null when created. */
  before: Exposure | null;
  /** The exposure after the run; null when resolved. */
  after: Exposure | null;
}
