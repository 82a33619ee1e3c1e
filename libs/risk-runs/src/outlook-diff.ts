import { type Exposure, EXPOSURE_CHANGE_VERSION, type ExposureChangeMessage, type ExposureOutlook, type OutlookChangeMessage } from '@tiersight/contracts';
import { worsens } from '@tiersight/risk-engine';
import { sameAsJson } from './exposure-diff';

/**
 * Compares a run's outlook records with the stored ones (DESIGN §10):
 * `anticipated` when an outlook appears or its numbers worsen (the rule of
 * the exposure diff); when it goes away, `anticipation_realized` if the SKU's
 * observed exposure was created or worsened by the same run (the anticipated
 * came true and the ordinary alerts tell it), else `anticipation_cleared`.
 * A record whose numbers did not worsen but whose probability or events
 * moved is rewritten without a change.
 */
export function diffOutlooks(
  stored: ReadonlyMap<string, ExposureOutlook>,
  next: readonly ExposureOutlook[],
  observedChanges: readonly ExposureChangeMessage[],
  observed: (skuId: string) => Exposure | null,
) {
  const changes: OutlookChangeMessage[] = [];
  const set: ExposureOutlook[] = [];
  const seen = new Set<string>();
  for (const after of next) {
    seen.add(after.skuId);
    const before = stored.get(after.skuId) ?? null;
    if (!before || worsens(after, before))
      changes.push({ v: EXPOSURE_CHANGE_VERSION, kind: 'anticipated', skuId: after.skuId, before, after, observed: observed(after.skuId) });
    if (!before || !sameAsJson(before, after)) set.push(after);
  }
  const caughtUp = new Set(observedChanges.filter((c) => c.kind === 'created' || c.kind === 'worsened').map((c) => c.skuId));
  const clear: string[] = [];
  for (const [skuId, before] of stored) {
    if (seen.has(skuId)) continue;
    clear.push(skuId);
    const kind = caughtUp.has(skuId) ? 'anticipation_realized' : 'anticipation_cleared';
    changes.push({ v: EXPOSURE_CHANGE_VERSION, kind, skuId, before, after: null, observed: observed(skuId) });
  }
  return { changes, set, clear };
}
