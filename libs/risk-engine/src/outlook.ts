import type { AnticipatedEventRef, ExposureNumbers, ExposureOutlook } from '@tiersight/contracts';
import { ConeSolver } from './cone-solver';
import { compareIds } from './critical-path';
import { byRevenueThenId, DEFAULT_EXPOSURE_THRESHOLD } from './exposures';
import { combineImpacts, validateImpact, type ImpactInput, type SiteImpact } from './impacts';
import type { Projection } from './projection';
import type { RiskView } from './risk-view';
import type { SolverState } from './solver-state';

/** Tolerance of the comparisons between two states of one SKU, as the exposure diff uses. */
const WORSE_EPS = 1e-9;

/** An outlook record (DESIGN §10) with the SKU's node index. */
export interface OutlookRecord extends ExposureOutlook {
  sku: number;
}

type Numbers = Pick<ExposureNumbers, 'x' | 'days' | 'onsetDays' | 'revenueAtRisk'>;

/**
 * Whether `after` is worse than `before`, both exposed: peak loss, days or
 * revenue at risk up, or the onset earlier. The rule the exposure diff uses
 * to call a change "worsened".
 */
export function worsens(after: Numbers, before: Numbers): boolean {
  return (
    after.x > before.x + WORSE_EPS ||
    after.days > before.days + WORSE_EPS ||
    after.revenueAtRisk > before.revenueAtRisk * (1 + WORSE_EPS) + WORSE_EPS ||
    after.onsetDays < before.onsetDays - WORSE_EPS
  );
}

/**
 * One part of an anticipated event: its impacts that share one p, per site
 * (node index). An event whose impacts carry different p (a forecast cone, p
 * falling with lead time) has one part per p; one draw decides the whole
 * event, so a part is present exactly when every part of higher p is.
 */
interface AnticipatedEvent {
  eventId: string;
  p: number;
  sites: Map<number, SiteImpact[]>;
}

/** Per SKU of the joint run: its outlook numbers, and the events that alone raised or worsened it. */
interface Candidate {
  sku: number;
  outlook: Numbers;
  raised: AnticipatedEvent[];
  alone: AnticipatedEvent[];
}

/** One non-fresh kernel (it climbs from a given state) with saved prior states, per projection. */
const kernels = new WeakMap<Projection, ConeSolver>();

/**
 * The outlook of DESIGN §10: §3 on the observed impacts plus the anticipated
 * ones, and a record for every SKU whose outlook is worse than its observed
 * state — exposed where it is not, or exposed with worse numbers (`worsens`).
 * A record carries the outlook's numbers, the anticipated events that alone
 * (observed plus that one event) make the SKU worse with the largest of their
 * p, or, when only several together do, those that raise it and the product
 * of their p (`joint`).
 *
 * `observed` is the observed state (a Propagator, an ExposureBook's view or a
 * propagate() result); only the anticipated impacts among `impacts` are read
 * (the observed ones are already in the view). Adding impacts only raises the
 * state, so each run climbs from the observed state to the new fixed point:
 * one run with every anticipated event, then, for the SKUs it made worse and
 * only when there are several events, one run per event. Each run costs its
 * own cone. The runs borrow the view's arrays and put every node they wrote
 * back before returning (or throwing): the view is left bit for bit as it was.
 * Sorted by revenue at risk descending, then SKU id.
 */
export function computeOutlook(observed: RiskView, impacts: readonly ImpactInput[], threshold = DEFAULT_EXPOSURE_THRESHOLD): OutlookRecord[] {
  const projection = observed.projection;
  const events = anticipatedEvents(projection, impacts);
  if (events.length === 0) return [];
  let solver = kernels.get(projection);
  if (!solver) kernels.set(projection, (solver = new ConeSolver(projection, borrow(observed), { recordOld: true })));
  const exposed = (s: Numbers) => s.x >= threshold && s.days > 0;
  const worse = (after: Numbers, before: Numbers) => exposed(after) && (!exposed(before) || worsens(after, before));

  const candidates = new Map<number, Candidate>();
  const everything = new Map<number, SiteImpact[]>();
  for (const event of events) {
    for (const [site, list] of event.sites) everything.set(site, (everything.get(site) ?? []).concat(list));
  }
  climb(solver, observed, everything, (sku, after, before) => {
    if (worse(after, before)) candidates.set(sku, { sku, outlook: after, raised: [], alone: [] });
  });
  if (candidates.size === 0) return [];

  if (events.length === 1) {
    for (const c of candidates.values()) c.alone.push(events[0]);
  } else {
    for (const event of events) {
      climb(solver, observed, event.sites, (sku, after, before) => {
        const c = candidates.get(sku);
        if (!c) return;
        if (after.x > before.x + WORSE_EPS || after.days > before.days + WORSE_EPS || after.onsetDays < before.onsetDays - WORSE_EPS) c.raised.push(event);
        if (worse(after, before)) c.alone.push(event);
      });
    }
  }

  const records: OutlookRecord[] = [];
  const reach = new Map<AnticipatedEvent, Uint8Array>();
  /** Impacts that only worsen a SKU combined at one site (none raises it alone): every event upstream of it is behind. */
  const upstreamOf = (sku: number) =>
    events.filter((e) => {
      let marks = reach.get(e);
      if (!marks) reach.set(e, (marks = downstreamOf(projection, e.sites.keys())));
      return marks[sku] === 1;
    });
  for (const c of candidates.values()) {
    const joint = c.alone.length === 0;
    const behind = !joint ? c.alone : c.raised.length > 0 ? c.raised : upstreamOf(c.sku);
    const refs = eventRefs(behind, joint);
    const p = joint ? refs.reduce((product, e) => product * e.p, 1) : refs[0].p;
    const { x, days, onsetDays, revenueAtRisk } = c.outlook;
    records.push({ skuId: projection.nodeIds[c.sku], sku: c.sku, x, days, onsetDays, revenueAtRisk, p, events: refs, joint });
  }
  return records.sort(byRevenueThenId);
}

/**
 * The events behind a record with their p. Alone: an event's p is the largest
 * of its parts that make the SKU worse (the likeliest way it happens). Joint:
 * the smallest of its parts behind it, since all of them are present only when
 * the least likely one is (one draw per event); events are independent, so
 * the record's p is the product over events.
 */
function eventRefs(parts: readonly AnticipatedEvent[], joint: boolean): AnticipatedEventRef[] {
  const byEvent = new Map<string, number>();
  for (const { eventId, p } of parts) {
    const q = byEvent.get(eventId);
    byEvent.set(eventId, q === undefined ? p : joint ? Math.min(q, p) : Math.max(q, p));
  }
  return [...byEvent].map(([eventId, p]) => ({ eventId, p })).sort((a, b) => b.p - a.p || compareIds(a.eventId, b.eventId));
}

/** The anticipated impacts (validated) grouped by event and p, then by site; in event id order, the likeliest part first. */
function anticipatedEvents(projection: Projection, impacts: readonly ImpactInput[]): AnticipatedEvent[] {
  const parts = new Map<string, AnticipatedEvent>();
  for (const impact of impacts) {
    if (impact.anticipated !== true) continue;
    const site = projection.site(impact.site);
    validateImpact(impact, projection.nodeIds[site]);
    const eventId = impact.eventId!;
    const key = `${eventId}\u0000${impact.p}`;
    let part = parts.get(key);
    if (!part) parts.set(key, (part = { eventId, p: impact.p!, sites: new Map() }));
    const one: SiteImpact = { x: impact.x, days: impact.days };
    const list = part.sites.get(site);
    if (list) list.push(one);
    else part.sites.set(site, [one]);
  }
  return [...parts.values()].sort((a, b) => compareIds(a.eventId, b.eventId) || b.p - a.p);
}

function downstreamOf(p: Projection, sites: Iterable<number>): Uint8Array {
  const marks = new Uint8Array(p.nodeCount);
  const stack: number[] = [];
  const visit = (v: number) => {
    if (marks[v] === 1) return;
    marks[v] = 1;
    stack.push(v);
  };
  for (const site of sites) visit(site);
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (let k = p.outStart[v]; k < p.outStart[v + 1]; k++) visit(p.outTo[k]);
  }
  return marks;
}

/** The view's arrays as a solver state (borrowed: every write is undone by `climb`). */
function borrow(view: RiskView): SolverState {
  return { x: view.x, d: view.d, o: view.onset, directX: view.directX, directD: view.directD };
}

/**
 * Adds the given impacts to the observed state's direct impacts, climbs to the
 * new fixed point, calls `visit` for every SKU the run wrote with its state
 * after and before, then restores every written node and direct impact.
 */
function climb(
  solver: ConeSolver,
  view: RiskView,
  added: ReadonlyMap<number, SiteImpact[]>,
  visit: (sku: number, after: Numbers, before: Numbers) => void,
): void {
  const p = view.projection;
  const state = borrow(view);
  solver.bind(state);
  const seeds: number[] = [];
  const seedX: number[] = [];
  const seedD: number[] = [];
  try {
    for (const [site, list] of added) {
      const ox = state.directX[site];
      const od = state.directD[site];
      const { x, d } = combineImpacts(ox > 0 ? [{ x: ox, days: od }, ...list] : list);
      if (x === ox && (!(x > 0) || d === od)) continue;
      seeds.push(site);
      seedX.push(ox);
      seedD.push(od);
      state.directX[site] = x;
      state.directD[site] = d;
      solver.schedule(site);
    }
    solver.run();
    for (let i = 0; i < solver.touchedCount; i++) {
      const v = solver.touched[i];
      if (!p.isSku(v)) continue;
      const revenue = p.dailyRevenue[v];
      const after = { x: state.x[v], days: state.d[v], onsetDays: state.o[v], revenueAtRisk: revenue * state.x[v] * state.d[v] };
      const before = { x: solver.oldX[i], days: solver.oldD[i], onsetDays: solver.oldO[i], revenueAtRisk: revenue * solver.oldX[i] * solver.oldD[i] };
      visit(v, after, before);
    }
  } finally {
    for (let i = 0; i < solver.touchedCount; i++) {
      const v = solver.touched[i];
      state.x[v] = solver.oldX[i];
      state.d[v] = solver.oldD[i];
      state.o[v] = solver.oldO[i];
    }
    solver.clearTouched(false);
    for (let i = 0; i < seeds.length; i++) {
      state.directX[seeds[i]] = seedX[i];
      state.directD[seeds[i]] = seedD[i];
    }
  }
}
