import { geoCentroid, geoDistance } from 'd3-geo';
import type { OnboardingList, OnboardingPair, OnboardingRow } from './onboarding-review-api';
import type { LatLon, MapSite } from './world-map';

// Parts of the review page: its progress, its summary, the view of the map, the proposals of a page.

/** Earth's mean radius, to turn the map's angular distances into kilometres. */
const EARTH_KM = 6371;
/** Pins spread wider than this are shown on the whole world. */
const WORLD_VIEW_KM = 4500;
/** The least of the world shown around pins: enough coasts and borders to find a place by (the map has no towns). */
export const LEAST_VIEW_KM = 1200;

export const inProgress = (list: OnboardingList | undefined) =>
  list !== undefined && list.status !== 'ready' && list.status !== 'confirmed' && list.status !== 'failed';

/** The part of the world the pins are in (the whole world when they are spread across it). */
export function viewOf(pins: MapSite[]): (LatLon & { km: number }) | null {
  if (pins.length === 0) return null;
  const coordinates = pins.map((p) => [p.lon, p.lat]);
  const [lon, lat] = geoCentroid({ type: 'MultiPoint', coordinates });
  const far = Math.max(...pins.map((p) => geoDistance([lon, lat], [p.lon, p.lat]) * EARTH_KM + (p.radiusKm ?? 0)));
  return far > WORLD_VIEW_KM ? null : { lat, lon, km: Math.max(LEAST_VIEW_KM, far * 1.25) };
}

/** The review's progress as words (also announced); a bar beside it while the worker places the rows. */
function progressText(list: OnboardingList): string {
  const { done, total } = list.progress;
  if (list.status === 'queued') return `Queued: waiting for a worker to review the list (${done} of ${total} rows placed).`;
  if (inProgress(list)) return `Reviewing: ${done} of ${total} rows placed.`;
  if (list.status === 'failed') return 'The review failed.';
  if (list.status === 'confirmed') return `Reviewed and confirmed: ${total} rows.`;
  return `Reviewed: all ${total} rows placed or explained. Decide the rows marked “! needed”, then confirm.`;
}

export function Progress({ list }: { list: OnboardingList }) {
  const { done, total } = list.progress;
  return (
    <div class={inProgress(list) ? 'onb-progress-box running' : 'onb-progress-box'}>
      {inProgress(list) && <progress class="onb-progress" max={Math.max(total, 1)} value={done} aria-label="Rows placed" />}
      <p role="status" aria-live="polite" class="onb-progress-text">
        {progressText(list)}
      </p>
    </div>
  );
}

export function Summary({ list }: { list: OnboardingList }) {
  const s = list.summary;
  if (!s) return null;
  const facts: [string, number, string][] = [
    ['Rows', s.rows, 'rows'],
    ['Ready to write', s.ok, 'ok'],
    ['Pin to confirm', s.toConfirm, 'to-confirm'],
    ['Blocked', s.blocked, 'blocked'],
    ['Identical to an earlier row', s.identical, 'identical'],
    ['Already in the network', s.existing, 'existing'],
    ['Duplicate proposals', s.pairs, 'pairs'],
  ];
  return (
    <dl class="facts onb-summary">
      {facts.map(([label, n, key]) => (
        <div key={key} data-fact={key}>
          <dt>{label}</dt>
          <dd class="big">{n}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Duplicate proposals of the rows on the page, each once. */
export function pairsOf(rows: OnboardingRow[]): OnboardingPair[] {
  const byId = new Map<string, OnboardingPair>();
  for (const r of rows) for (const p of r.duplicates) byId.set(p.id, p);
  return [...byId.values()].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}
