import { compareIds, DEFAULT_EXPOSURE_THRESHOLD, type Projection } from '@tiersight/risk-engine';
import { TwinEngineError, TwinEngineErrorCode } from './twin-engine.error';
import { isUint32 } from './sample-rng';
import {
  DEFAULT_HORIZON_DAYS,
  DEFAULT_KAPPA,
  DEFAULT_RECOVERY,
  DEFAULT_SIGMA,
  type DrawParameters,
  type HitSource,
  type RecoverySpread,
  TWIN_KERNELS,
  type TwinKernel,
  type TwinRequest,
} from './twin-request';

export const DRIVER_EVENT = 0;
export const DRIVER_SCENARIO = 1;
export const MAX_HORIZON_DAYS = 3650;
const HIT_SOURCES: readonly HitSource[] = ['estimate', 'survey', 'sensor'];

/**
 * A validated request laid out in typed arrays. "Drivers" are the events and
 * scenarios, sorted by id: that order fixes which uniforms of a sample each
 * one takes, so it does not depend on the order of the request's lists.
 */
export interface TwinPlan {
  readonly projection: Projection;
  readonly samples: number;
  readonly seed: number;
  readonly horizonDays: number;
  readonly threshold: number;
  /** Contributions are computed for samples below this index. */
  readonly contributionSamples: number;
  readonly kernel: TwinKernel;
  readonly driverIds: readonly string[];
  readonly driverKind: Uint8Array;
  readonly probability: Float64Array;
  /** Events: lognormal sigma and Beta kappa, 0 when exact. Scenarios: recovery bounds as multiples of ttr. */
  readonly sigma: Float64Array;
  readonly kappa: Float64Array;
  readonly recoveryLow: Float64Array;
  readonly recoveryHigh: Float64Array;
  /** Hits of driver k are hitStart[k] .. hitStart[k+1]. */
  readonly hitStart: Int32Array;
  readonly hitSite: Int32Array;
  readonly hitX: Float64Array;
  readonly hitD: Float64Array;
  /** 1 when the hit's value is drawn (estimates and scenario sites). */
  readonly hitDrawn: Uint8Array;
  /**
   * Drawn event hits share one severity per distinct x̂ of their event:
   * hitLevel indexes levelX (levels of driver k are levelStart[k] ..
   * levelStart[k+1]); -1 for hits not drawn and for scenario hits.
   */
  readonly hitLevel: Int32Array;
  readonly levelX: Float64Array;
  readonly levelStart: Int32Array;
  /** Distinct impacted sites (node indices, ascending); the hits of sites[j] are siteHits[siteHitStart[j] .. siteHitStart[j+1]]. */
  readonly sites: Int32Array;
  readonly siteHitStart: Int32Array;
  readonly siteHits: Int32Array;
  /** Positions in `sites` of the sites driver k hits: driverSites[driverSiteStart[k] .. driverSiteStart[k+1]]. */
  readonly driverSiteStart: Int32Array;
  readonly driverSites: Int32Array;
  /**
   * True when no loop lies downstream of an impacted site. Then a live
   * Propagator's state is a pure function of the impacts, so the
   * contributions' Propagator can take each sample as a diff on the previous
   * one; otherwise it clears to the bottom state first.
   */
  readonly acyclicCone: boolean;
}

interface RawHit {
  site: number;
  x: number;
  d: number;
  drawn: boolean;
}

interface RawDriver {
  id: string;
  kind: number;
  probability: number;
  sigma: number;
  kappa: number;
  recovery: RecoverySpread;
  hits: RawHit[];
}

/** Validates a request and lays it out; every refusal is a TwinEngineError naming the offending item. */
export function buildPlan(request: TwinRequest): TwinPlan {
  const p = request.projection;
  const samples = request.samples;
  if (!(Number.isInteger(samples) && samples >= 1 && samples <= 0xffffffff)) invalid(`samples must be a positive integer, got ${samples}`);
  if (!isUint32(request.seed)) invalid(`seed must be an integer in [0, 2^32), got ${request.seed}`);
  const horizonDays = request.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!(Number.isInteger(horizonDays) && horizonDays >= 1 && horizonDays <= MAX_HORIZON_DAYS)) {
    invalid(`horizonDays must be an integer in [1, ${MAX_HORIZON_DAYS}], got ${horizonDays}`);
  }
  const threshold = request.exposureThreshold ?? DEFAULT_EXPOSURE_THRESHOLD;
  const contributionSamples = request.contributionSamples ?? samples;
  if (!(Number.isInteger(contributionSamples) && contributionSamples >= 0 && contributionSamples <= samples)) {
    invalid(`contributionSamples must be an integer in [0, samples], got ${contributionSamples}`);
  }
  if (!(threshold >= 0 && threshold <= 1)) invalid(`exposureThreshold must be in [0, 1], got ${threshold}`);
  const kernel = request.kernel ?? 'auto';
  if (!TWIN_KERNELS.includes(kernel)) invalid(`kernel must be one of ${TWIN_KERNELS.join(', ')}, got ${String(kernel)}`);

  const defaults = drawParameters({ sigma: DEFAULT_SIGMA, kappa: DEFAULT_KAPPA }, request.defaultDraw, 'defaultDraw');
  const byType = new Map<string, DrawParameters>();
  for (const [type, params] of Object.entries(request.drawParameters ?? {})) byType.set(type, drawParameters(defaults, params, `drawParameters.${type}`));

  const raw: RawDriver[] = [];
  const seen = new Set<string>();
  const claim = (id: string) => {
    if (typeof id !== 'string' || id.length === 0) invalid(`event and scenario ids must be non-empty strings, got ${JSON.stringify(id)}`);
    if (seen.has(id)) throw new TwinEngineError(TwinEngineErrorCode.DuplicateDriver, `duplicate event or scenario id ${id}`);
    seen.add(id);
  };
  for (const event of request.events) {
    claim(event.id);
    const { sigma, kappa } = byType.get(event.type) ?? defaults;
    const hits = event.hits.map((hit, i): RawHit => {
      const label = `event ${event.id} hit ${i}`;
      if (!(hit.x >= 0 && hit.x <= 1)) invalid(`${label}: x must be in [0, 1], got ${hit.x}`);
      if (!(Number.isFinite(hit.days) && hit.days >= 0)) invalid(`${label}: days must be finite and >= 0, got ${hit.days}`);
      const source = hit.source ?? 'estimate';
      if (!HIT_SOURCES.includes(source)) invalid(`${label}: unknown source ${String(source)}`);
      return { site: resolveSite(p, hit.site, label), x: hit.x, d: hit.days, drawn: source === 'estimate' };
    });
    raw.push({ id: event.id, kind: DRIVER_EVENT, probability: probabilityOf(event.probability, event.id), sigma, kappa, recovery: DEFAULT_RECOVERY, hits });
  }
  for (const scenario of request.scenarios ?? []) {
    claim(scenario.id);
    const recovery = scenario.recovery ?? DEFAULT_RECOVERY;
    if (!(Number.isFinite(recovery.low) && Number.isFinite(recovery.high) && recovery.low >= 0 && recovery.low <= 1 && recovery.high >= 1)) {
      invalid(`scenario ${scenario.id}: recovery needs 0 <= low <= 1 <= high (finite), got ${recovery.low}, ${recovery.high}`);
    }
    const hits = scenario.sites.map((ref, i): RawHit => {
      const site = resolveSite(p, ref, `scenario ${scenario.id} site ${i}`);
      return { site, x: 1, d: p.ttrDays[site], drawn: true };
    });
    raw.push({ id: scenario.id, kind: DRIVER_SCENARIO, probability: probabilityOf(scenario.probability, scenario.id), sigma: 0, kappa: 0, recovery, hits });
  }
  raw.sort((a, b) => compareIds(a.id, b.id));
  return layOut(request, raw, { samples, horizonDays, threshold, contributionSamples, kernel });
}

interface PlanScalars {
  samples: number;
  horizonDays: number;
  threshold: number;
  contributionSamples: number;
  kernel: TwinKernel;
}

function layOut(request: TwinRequest, raw: RawDriver[], scalars: PlanScalars): TwinPlan {
  const p = request.projection;
  const k = raw.length;
  const hitCount = raw.reduce((n, r) => n + r.hits.length, 0);
  const hitStart = new Int32Array(k + 1);
  const hitSite = new Int32Array(hitCount);
  const hitX = new Float64Array(hitCount);
  const hitD = new Float64Array(hitCount);
  const hitDrawn = new Uint8Array(hitCount);
  const hitLevel = new Int32Array(hitCount).fill(-1);
  const levels: number[] = [];
  const levelStart = new Int32Array(k + 1);
  let h = 0;
  raw.forEach((driver, i) => {
    hitStart[i] = h;
    levelStart[i] = levels.length;
    const levelOf = new Map<number, number>();
    for (const hit of driver.hits) {
      hitSite[h] = hit.site;
      hitX[h] = hit.x;
      hitD[h] = hit.d;
      hitDrawn[h] = hit.drawn ? 1 : 0;
      if (hit.drawn && driver.kind === DRIVER_EVENT) {
        let level = levelOf.get(hit.x);
        if (level === undefined) {
          levelOf.set(hit.x, (level = levels.length));
          levels.push(hit.x);
        }
        hitLevel[h] = level;
      }
      h++;
    }
  });
  hitStart[k] = h;
  levelStart[k] = levels.length;

  // site-major view: the distinct sites, each with its hits in driver order
  const sites = Int32Array.from(new Set(hitSite)).sort();
  const position = new Map<number, number>();
  sites.forEach((site, j) => position.set(site, j));
  const siteHitStart = new Int32Array(sites.length + 1);
  for (let i = 0; i < hitCount; i++) siteHitStart[position.get(hitSite[i])! + 1]++;
  for (let j = 0; j < sites.length; j++) siteHitStart[j + 1] += siteHitStart[j];
  const fill = siteHitStart.slice(0, sites.length);
  const siteHits = new Int32Array(hitCount);
  for (let i = 0; i < hitCount; i++) siteHits[fill[position.get(hitSite[i])!]++] = i;

  const driverSiteStart = new Int32Array(k + 1);
  const driverSiteList: number[] = [];
  for (let i = 0; i < k; i++) {
    driverSiteStart[i] = driverSiteList.length;
    const mine = new Set<number>();
    for (let j = hitStart[i]; j < hitStart[i + 1]; j++) mine.add(position.get(hitSite[j])!);
    driverSiteList.push(...[...mine].sort((a, b) => a - b));
  }
  driverSiteStart[k] = driverSiteList.length;

  return {
    projection: p,
    samples: scalars.samples,
    seed: request.seed,
    horizonDays: scalars.horizonDays,
    threshold: scalars.threshold,
    contributionSamples: scalars.contributionSamples,
    kernel: scalars.kernel,
    driverIds: raw.map((r) => r.id),
    driverKind: Uint8Array.from(raw, (r) => r.kind),
    probability: Float64Array.from(raw, (r) => r.probability),
    sigma: Float64Array.from(raw, (r) => r.sigma),
    kappa: Float64Array.from(raw, (r) => r.kappa),
    recoveryLow: Float64Array.from(raw, (r) => r.recovery.low),
    recoveryHigh: Float64Array.from(raw, (r) => r.recovery.high),
    hitStart,
    hitSite,
    hitX,
    hitD,
    hitDrawn,
    hitLevel,
    levelX: Float64Array.from(levels),
    levelStart,
    sites,
    siteHitStart,
    siteHits,
    driverSiteStart,
    driverSites: Int32Array.from(driverSiteList),
    acyclicCone: !loopDownstream(p, sites),
  };
}

/** Whether any node reachable from the sites (through any edge) sits in a loop. */
function loopDownstream(p: Projection, sites: Int32Array): boolean {
  const seen = new Uint8Array(p.nodeCount);
  const stack = Array.from(sites);
  for (const v of stack) seen[v] = 1;
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (p.inLoop[v] === 1) return true;
    for (let k = p.outStart[v]; k < p.outStart[v + 1]; k++) {
      const w = p.outTo[k];
      if (seen[w] === 0) {
        seen[w] = 1;
        stack.push(w);
      }
    }
  }
  return false;
}

function drawParameters(base: DrawParameters, given: Partial<DrawParameters> | undefined, label: string): DrawParameters {
  const sigma = given?.sigma ?? base.sigma;
  const kappa = given?.kappa ?? base.kappa;
  if (!(Number.isFinite(sigma) && sigma >= 0)) invalid(`${label}: sigma must be finite and >= 0, got ${sigma}`);
  if (!(kappa >= 0)) invalid(`${label}: kappa must be >= 0 (0 or Infinity: exact), got ${kappa}`);
  return { sigma, kappa: kappa === Infinity ? 0 : kappa };
}

function probabilityOf(value: number | undefined, id: string): number {
  const probability = value ?? 1;
  if (!(probability >= 0 && probability <= 1)) invalid(`${id}: probability must be in [0, 1], got ${probability}`);
  return probability;
}

function resolveSite(p: Projection, ref: string | number, label: string): number {
  const v = typeof ref === 'number' ? (Number.isInteger(ref) && ref >= 0 && ref < p.nodeCount ? ref : -1) : p.indexOf(ref);
  if (v === -1 || !p.isSite(v)) throw new TwinEngineError(TwinEngineErrorCode.UnknownSite, `${label}: ${JSON.stringify(ref)} is not a site of the projection`);
  return v;
}

function invalid(message: string): never {
  throw new TwinEngineError(TwinEngineErrorCode.InvalidValue, message);
}
