import type { ConfirmPlan, RowOutcome, RowPage } from '@tiersight/onboarding';
import type { ListedSite } from '@tiersight/portal';

type ReviewItem = RowPage['items'][number];

/**
 * A review row as its supplier sees it: every row is a site of the caller, so
 * no proposed supplier; the proposed site's id only when it is one of the
 * caller's sites already (a list uploaded again updates it) — a new site gets
 * a random platform id at the confirm, like every site a supplier adds.
 */
export function portalRow(item: ReviewItem) {
  const { supplier: _supplier, site, ...rest } = item;
  return { ...rest, site: site && { ...site, id: site.exists ? site.id : null } };
}

export function portalRowPage(page: RowPage) {
  return { items: page.items.map(portalRow), nextCursor: page.nextCursor };
}

/** The sites a confirmed plan writes, each with how its pin was found. */
export function listedSites(plan: ConfirmPlan): ListedSite[] {
  return plan.payload.sites.map((s, i) => ({
    row: plan.placements[i].row,
    plannedId: s.id,
    name: s.name,
    lat: s.lat,
    lon: s.lon,
    country: s.country,
    placement: plan.placements[i].placement,
  }));
}

/** The plan's row outcomes with the ids the sites were written under (a planned id of a new site is never a site's id). */
export function writtenOutcomes(outcomes: readonly RowOutcome[], ids: Readonly<Record<string, string>>): RowOutcome[] {
  return outcomes.map((o) => (o.action === 'reject' || (o.action === 'merge' && o.into === 'site') ? o : { ...o, siteId: ids[o.siteId] ?? o.siteId }));
}
