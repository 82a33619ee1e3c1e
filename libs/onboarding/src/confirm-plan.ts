import type { ImportPayload, SitePlacement, SiteRow, SupplierRow } from '@tiersight/contracts';
import { siteIdFor, supplierIdFor } from './entity-ids';
import type { OnboardingProblem } from './onboarding.error';
import type { ReviewPair, ReviewRow } from './review';

/** A person's decision on one row: write it as placed, write it at other coordinates, or leave it out. */
export type RowDecision = { action: 'accept' } | { action: 'edit'; lat: number; lon: number; country?: string; name?: string } | { action: 'reject' };

/** A person's decision on one duplicate proposal: the same facility (one site), or two. */
export type PairDecision = 'confirm' | 'reject';

/** What confirming does with a row. */
export type RowOutcome =
  | { row: number; action: 'write'; siteId: string; supplierId: string }
  | { row: number; action: 'merge'; siteId: string; into: 'row' | 'site' }
  | { row: number; action: 'reject' };

/** How the pin of a written site was found, recorded with the write; null when a person gave its coordinates (an edit). */
export interface PlannedPlacement {
  siteId: string;
  row: number;
  placement: SitePlacement | null;
}

export interface PlanOptions {
  /** a supplier's list of its own sites (portal): every site is that supplier's, and no supplier row is written */
  supplierId?: string;
}

export interface ConfirmPlan {
  /** the rows for the normal import (suppliers and sites; nothing else) */
  payload: Required<Pick<ImportPayload, 'suppliers' | 'sites'>>;
  /** one per site in `payload.sites`, in the same order */
  placements: PlannedPlacement[];
  outcomes: RowOutcome[];
  /** rejected duplicate pairs by site id, to remember for later lists */
  rejections: Array<[string, string]>;
  /** why the review cannot be confirmed yet (empty when it can) */
  problems: OnboardingProblem[];
}

interface Effective {
  row: ReviewRow;
  name: string;
  country: string;
  lat: number;
  lon: number;
  siteId: string;
  supplierId: string;
  placement: SitePlacement | null;
}

/**
 * Turns a review and its decisions into import rows. A row needs a decision
 * when it is blocked or its pin is to be confirmed, and every duplicate
 * proposal needs one; rows joined by confirmed pairs (and identical rows)
 * become one site: the existing site when the group holds one, else the
 * group's first row. Each written site keeps how its pin was found: a row
 * accepted as `to-confirm` is written with its pin to confirm (the supplier
 * confirms or moves it in the portal). Pure; `problems` lists what is still missing.
 */
export function planConfirm(
  rows: readonly ReviewRow[],
  pairs: readonly ReviewPair[],
  rowDecisions: ReadonlyMap<number, RowDecision>,
  pairDecisions: ReadonlyMap<string, PairDecision>,
  options: PlanOptions = {},
): ConfirmPlan {
  const problems: OnboardingProblem[] = [];
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const rejectedRows = new Set(rows.filter((r) => rowDecisions.get(r.row)?.action === 'reject').map((r) => r.row));
  for (const pair of pairs) {
    if (!pairDecisions.has(pair.id))
      problems.push({ pair: pair.id, field: 'pair', message: `duplicate proposal ${pair.id} (${sideText(pair.a)} / ${sideText(pair.b)}) has no decision` });
  }
  const groups = new UnionFind();
  for (const row of rows) if (row.sameAs !== null) groups.union(`#${row.row}`, `#${row.sameAs}`);
  for (const pair of pairs) if (pairDecisions.get(pair.id) === 'confirm') groups.union(key(pair.a), key(pair.b));
  const members = new Map<string, string[]>();
  for (const k of [...groups.keys()]) {
    const root = groups.find(k);
    const group = members.get(root);
    if (group) group.push(k);
    else members.set(root, [k]);
  }
  // Per row that is not rejected: the existing site its group holds, or the group's first row (the keeper).
  const existingOf = new Map<number, string>();
  const keeperOf = new Map<number, number>();
  for (const group of members.values()) {
    const sites = group.filter((k) => !k.startsWith('#')).sort();
    const groupRows = group
      .filter((k) => k.startsWith('#'))
      .map((k) => Number(k.slice(1)))
      .filter((r) => !rejectedRows.has(r));
    if (sites.length > 1)
      problems.push({ field: 'pair', message: `confirmed proposals join the existing sites ${sites.join(' and ')} into one: reject one of them` });
    const keeper = Math.min(...groupRows);
    for (const r of groupRows) {
      if (sites.length > 0) existingOf.set(r, sites[0]);
      else keeperOf.set(r, keeper);
    }
  }
  const effective = new Map<number, Effective>();
  for (const row of rows) {
    if (rejectedRows.has(row.row) || existingOf.has(row.row) || (keeperOf.get(row.row) ?? row.row) !== row.row) continue;
    const resolved = resolveRow(row, rowDecisions.get(row.row));
    if (typeof resolved === 'string') problems.push({ row: row.row, field: 'row', message: `row ${row.row}: ${resolved}` });
    else effective.set(row.row, resolved);
  }

  const outcomes: RowOutcome[] = [];
  const suppliers = new Map<string, SupplierRow>();
  const sites: SiteRow[] = [];
  const placements: PlannedPlacement[] = [];
  const owner = options.supplierId;
  for (const row of rows) {
    const keeper = keeperOf.get(row.row) ?? row.row;
    const e = effective.get(row.row);
    if (rejectedRows.has(row.row)) outcomes.push({ row: row.row, action: 'reject' });
    else if (existingOf.has(row.row)) outcomes.push({ row: row.row, action: 'merge', siteId: existingOf.get(row.row)!, into: 'site' });
    else if (keeper !== row.row) {
      const siteId = effective.get(keeper)?.siteId ?? byRow.get(keeper)?.site?.id;
      if (siteId) outcomes.push({ row: row.row, action: 'merge', siteId, into: 'row' });
    } else if (e) {
      const supplierId = owner ?? e.supplierId;
      if (owner === undefined && !suppliers.has(supplierId)) suppliers.set(supplierId, { id: supplierId, name: e.name, country: e.country });
      const source = owner === undefined ? 'buyer' : 'supplier';
      sites.push({ id: e.siteId, supplierId, name: e.name, kind: 'plant', lat: e.lat, lon: e.lon, country: e.country, source });
      placements.push({ siteId: e.siteId, row: row.row, placement: e.placement });
      outcomes.push({ row: row.row, action: 'write', siteId: e.siteId, supplierId });
    }
  }
  const siteIdOfRow = (r: number) => effective.get(r)?.siteId ?? byRow.get(r)?.site?.id ?? null;
  const rejections: Array<[string, string]> = [];
  for (const pair of pairs) {
    if (pairDecisions.get(pair.id) !== 'reject') continue;
    const [x, y] = [pair.a, pair.b].map((s) => ('row' in s ? siteIdOfRow(s.row) : s.siteId));
    if (x && y && x !== y) rejections.push(x < y ? [x, y] : [y, x]);
  }
  return { payload: { suppliers: [...suppliers.values()], sites }, placements, outcomes, rejections, problems };
}

/** The row as it will be written, or why it cannot be. */
function resolveRow(row: ReviewRow, decision: RowDecision | undefined): Effective | string {
  if (decision?.action === 'edit') {
    const name = decision.name ?? row.name;
    const country = decision.country ?? row.country;
    if (name === null) return 'has no facility name: give one in the edit, or reject the row';
    if (country === null) return 'has no usable country: give one in the edit, or reject the row';
    const ref = row.supplier?.ref ?? null;
    return {
      row,
      name,
      country,
      lat: decision.lat,
      lon: decision.lon,
      siteId: siteIdFor(country, name, row.address),
      supplierId: supplierIdFor(country, name, ref),
      placement: null,
    };
  }
  if (row.status === 'blocked') {
    const reasons = row.issues.filter((i) => i.blocking).map((i) => i.message);
    return `${reasons.join('; ') || 'cannot be written as it is'}: edit it (coordinates, country, name) or reject it`;
  }
  if (row.status === 'to-confirm' && decision?.action !== 'accept') return 'its pin is to be confirmed: accept it, edit its coordinates or reject the row';
  const { lat, lon, precision, radiusKm } = row.location!;
  return {
    row,
    name: row.name!,
    country: row.country!,
    lat,
    lon,
    siteId: row.site!.id,
    supplierId: row.supplier!.id,
    placement: { precision, radiusKm, toConfirm: row.status === 'to-confirm' },
  };
}

const key = (side: ReviewPair['a']) => ('row' in side ? `#${side.row}` : side.siteId);
const sideText = (side: ReviewPair['a']) => ('row' in side ? `row ${side.row}` : `site ${side.siteId}`);

class UnionFind {
  private readonly parent = new Map<string, string>();

  keys(): IterableIterator<string> {
    return this.parent.keys();
  }

  find(x: string): string {
    if (!this.parent.has(x)) this.parent.set(x, x);
    let root = x;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(x, root);
    return root;
  }

  union(x: string, y: string): void {
    const [a, b] = [this.find(x), this.find(y)];
    if (a !== b) this.parent.set(a > b ? a : b, a > b ? b : a);
  }
}
