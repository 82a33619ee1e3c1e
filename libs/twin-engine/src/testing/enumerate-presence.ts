// Test helper: the exact answer of a twin request whose only uncertainty is
// which anticipated events and scenarios are present, by enumerating every
// presence pattern and running the engine's propagate() on each. Written from
// DESIGN §9 and the risk engine's public API only; not exported from the library.
import { exposedSkus, propagate, type ImpactInput } from '@tiersight/risk-engine';
import type { TwinRequest } from '../twin-request';

export interface ExactSku {
  probability: number;
  /** E[revenue at risk] and E[days], 0 where not exposed. */
  meanRevenueAtRisk: number;
  meanDays: number;
  /** E[onset | exposed]. */
  meanOnset: number;
  /** Per day t < horizon: P(short on day t) and E[lost fraction on day t]. */
  short: number[];
  lostFraction: number[];
}

export interface ExactAnswer {
  skus: Map<string, ExactSku>;
  meanTotal: number;
  /** Per driver id: E[T] − E[T without it]. */
  contributions: Map<string, number>;
}

interface Driver {
  id: string;
  probability: number;
  impacts: ImpactInput[];
}

/** Refuses requests with drawn values: every sigma and kappa must be 0 and every scenario exact. */
export function enumeratePresence(request: TwinRequest, horizon = request.horizonDays ?? 180): ExactAnswer {
  const threshold = request.exposureThreshold ?? 0.05;
  const drivers = toDrivers(request);
  const random = drivers.filter((d) => d.probability > 0 && d.probability < 1);
  if (random.length > 16) throw new Error('too many uncertain drivers to enumerate');
  const skus = new Map<string, ExactSku>();
  const onsetWeight = new Map<string, number>();
  let meanTotal = 0;
  const without = new Map<string, number>(drivers.map((d) => [d.id, 0]));

  for (let mask = 0; mask < 1 << random.length; mask++) {
    let weight = 1;
    const present = new Set<string>();
    for (const d of drivers) if (d.probability === 1) present.add(d.id);
    random.forEach((d, i) => {
      const on = (mask >> i) & 1;
      weight *= on ? d.probability : 1 - d.probability;
      if (on) present.add(d.id);
    });
    const run = (ids: Set<string>) =>
      exposedSkus(
        propagate(
          request.projection,
          drivers.filter((d) => ids.has(d.id)).flatMap((d) => d.impacts),
        ),
        threshold,
      );
    const exposures = run(present);
    const total = exposures.reduce((sum, e) => sum + e.revenueAtRisk, 0);
    meanTotal += weight * total;
    for (const d of drivers) {
      const rest = new Set(present);
      rest.delete(d.id);
      const other = present.has(d.id) ? run(rest).reduce((sum, e) => sum + e.revenueAtRisk, 0) : total;
      without.set(d.id, without.get(d.id)! + weight * other);
    }
    for (const e of exposures) {
      let s = skus.get(e.skuId);
      if (!s) {
        s = {
          probability: 0,
          meanRevenueAtRisk: 0,
          meanDays: 0,
          meanOnset: 0,
          short: new Array<number>(horizon).fill(0),
          lostFraction: new Array<number>(horizon).fill(0),
        };
        skus.set(e.skuId, s);
        onsetWeight.set(e.skuId, 0);
      }
      s.probability += weight;
      s.meanRevenueAtRisk += weight * e.revenueAtRisk;
      s.meanDays += weight * e.days;
      onsetWeight.set(e.skuId, onsetWeight.get(e.skuId)! + weight * e.onsetDays);
      for (let t = 0; t < horizon; t++) {
        if (e.onsetDays <= t && t < e.onsetDays + e.days) {
          s.short[t] += weight;
          s.lostFraction[t] += weight * e.x;
        }
      }
    }
  }
  for (const [id, s] of skus) s.meanOnset = onsetWeight.get(id)! / s.probability;
  const contributions = new Map<string, number>();
  for (const [id, value] of without) contributions.set(id, meanTotal - value);
  return { skus, meanTotal, contributions };
}

function toDrivers(request: TwinRequest): Driver[] {
  const p = request.projection;
  const exact = (type: string) => {
    const params = { sigma: 0.5, kappa: 20, ...request.defaultDraw, ...request.drawParameters?.[type] };
    return params.sigma === 0 && (params.kappa === 0 || params.kappa === Infinity);
  };
  const out: Driver[] = [];
  for (const e of request.events) {
    if (e.hits.some((h) => (h.source ?? 'estimate') === 'estimate' && h.x > 0 && h.x < 1 && !exact(e.type))) throw new Error(`event ${e.id} has drawn values`);
    if (e.hits.some((h) => (h.source ?? 'estimate') === 'estimate' && !exact(e.type) && h.days > 0)) throw new Error(`event ${e.id} has drawn durations`);
    out.push({ id: e.id, probability: e.probability ?? 1, impacts: e.hits.map((h) => ({ site: h.site, x: h.x, days: h.days, eventId: e.id })) });
  }
  for (const s of request.scenarios ?? []) {
    if (s.recovery && !(s.recovery.low === 1 && s.recovery.high === 1)) throw new Error(`scenario ${s.id} has a drawn recovery`);
    if (!s.recovery) throw new Error(`scenario ${s.id} has the default (drawn) recovery`);
    out.push({ id: s.id, probability: s.probability ?? 1, impacts: s.sites.map((site) => ({ site, x: 1, days: p.ttrDays[p.site(site)], eventId: s.id })) });
  }
  return out;
}
