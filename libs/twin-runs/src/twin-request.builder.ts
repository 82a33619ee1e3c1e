import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@tiersight/config';
import { EventRepository, GraphError, GraphErrorCode } from '@tiersight/graph';
import type { Projection } from '@tiersight/risk-engine';
import { ProjectionCache } from '@tiersight/risk-runs';
import {
  TwinDraws,
  TwinEngineError,
  TwinEngineErrorCode,
  type DrawParameters,
  type RecoverySpread,
  type SiteDownScenario,
  type TwinEvent,
  type TwinHit,
  type TwinSpec,
} from '@tiersight/twin-engine';
import { TwinError, TwinErrorCode } from './twin.error';
import {
  contributionSamplesFor,
  drawParametersFor,
  recoveryOf,
  SCENARIO_EVENT_TYPE,
  type ResolvedTwinRequest,
  type TwinConfig,
  type TwinScenarioImpact,
} from './twin-settings';

/** A request turned into what the engine runs, with the state it was read from. */
export interface BuiltTwin {
  spec: TwinSpec;
  projection: Projection;
  graphVersion: number;
  /** Driver ids (event ids, or `scenario-<n>`), sorted. */
  eventIds: string[];
  /** Event type per driver id (`site-down` for a scenario's sites or suppliers down). */
  types: Record<string, string>;
  drawParameters: Record<string, DrawParameters>;
  recovery: RecoverySpread;
}

/** The type reported for a scenario's site-down impacts (drawn by recovery, not by type). */
export const SITE_DOWN = 'site-down';
/** At most this many unknown references are named in one refusal. */
const MAX_NAMED = 20;

/**
 * Builds a twin request from the live state or from a scenario.
 *
 * Live: every active event (or those named) with its type and the sites it
 * hits as the risk worker reads them (DESIGN §3.1): a geo-matched hit is an
 * estimate (drawn); one replaced by a supplier's confirmed survey answer, and
 * a fired sensor rule, are taken as given (not drawn).
 *
 * Scenario (the body of `POST /v1/scenarios`): impact n is driver
 * `scenario-<n>`. Sites or suppliers down (x = 1) are a site-down scenario:
 * each site's recovery is drawn from Triangular(ttr/(1+s), ttr, (1+s)·ttr)
 * around its own ttrDays (DESIGN §9), so the impact's `days` is not used.
 * A partial loss (x < 1) or an area is an event of type `scenario`, drawn
 * like any event estimate with that type's σ and κ.
 */
@Injectable()
export class TwinRequestBuilder {
  constructor(
    private readonly projections: ProjectionCache,
    private readonly events: EventRepository,
    @Inject(APP_CONFIG) private readonly config: TwinConfig,
  ) {}

  async build(request: ResolvedTwinRequest): Promise<BuiltTwin> {
    const { projection, graphVersion } = await this.projections.current();
    const recovery = recoveryOf(request.parameters.recoverySpread);
    const drivers = request.scenario
      ? await this.scenarioDrivers(projection, request.scenario.impacts, recovery)
      : await this.liveDrivers(projection, request.eventIds);
    const types: Record<string, string> = {};
    for (const e of drivers.events) types[e.id] = e.type;
    for (const s of drivers.scenarios) types[s.id] = SITE_DOWN;
    const drawParameters = drawParametersFor(
      drivers.events.map((e) => e.type),
      request.parameters,
      this.config,
    );
    const spec: TwinSpec = {
      events: drivers.events,
      scenarios: drivers.scenarios,
      drawParameters,
      samples: request.samples,
      seed: request.seed,
      horizonDays: request.horizonDays,
      exposureThreshold: request.threshold,
      contributionSamples: contributionSamplesFor(request.contributionSamples, request.samples, drivers.events.length + drivers.scenarios.length),
    };
    checkWithEngine(spec, projection, request.mode);
    return { spec, projection, graphVersion, eventIds: Object.keys(types).sort(), types, drawParameters, recovery };
  }

  /**
   * What can be refused before a run is queued: the named events must be
   * active, a scenario's sites and suppliers must exist. (The live state
   * itself is read when the run runs.)
   */
  async check(request: ResolvedTwinRequest): Promise<void> {
    if (request.scenario) await this.build(request);
    else if (request.eventIds) await this.activeEvents(request.eventIds);
  }

  private async liveDrivers(projection: Projection, eventIds: string[] | null): Promise<{ events: TwinEvent[]; scenarios: SiteDownScenario[] }> {
    if (eventIds) await this.activeEvents(eventIds);
    const rows = await this.events.activeImpacts(eventIds ?? undefined);
    const byEvent = new Map<string, TwinEvent & { hits: TwinHit[] }>();
    for (const row of rows) {
      const v = projection.indexOf(row.siteId);
      if (v < 0 || !projection.isSite(v)) continue; // as the risk worker does: a site the projection does not hold yet
      let event = byEvent.get(row.eventId);
      if (!event) byEvent.set(row.eventId, (event = { id: row.eventId, type: row.eventType, hits: [] }));
      event.hits.push({ site: row.siteId, x: row.x, days: row.days, source: row.source });
    }
    return { events: [...byEvent.values()], scenarios: [] };
  }

  private async activeEvents(ids: readonly string[]): Promise<void> {
    const refused: Array<{ field: string; message: string }> = [];
    for (const [i, id] of ids.entries()) {
      try {
        const event = await this.events.get(id);
        if (event.status !== 'active') refused.push({ field: `eventIds[${i}]`, message: `event ${id} is not active` });
      } catch (error) {
        if (!(error instanceof GraphError && error.code === GraphErrorCode.NotFound)) throw error;
        refused.push({ field: `eventIds[${i}]`, message: `event ${id} does not exist` });
      }
    }
    if (refused.length) throw unknown(refused);
  }

  private async scenarioDrivers(
    projection: Projection,
    impacts: readonly TwinScenarioImpact[],
    recovery: RecoverySpread,
  ): Promise<{ events: TwinEvent[]; scenarios: SiteDownScenario[] }> {
    const events: TwinEvent[] = [];
    const scenarios: SiteDownScenario[] = [];
    const refused: Array<{ field: string; message: string }> = [];
    let bySupplier: ReturnType<Projection['sitesBySupplier']> | null = null;
    for (const [n, impact] of impacts.entries()) {
      const id = `scenario-${n + 1}`;
      if ('geometry' in impact) {
        const sites = (await this.events.sitesInside(impact.geometry)).filter((s) => projection.indexOf(s) >= 0);
        events.push({ id, type: SCENARIO_EVENT_TYPE, hits: sites.map((site) => ({ site, x: impact.severity, days: impact.days })) });
        continue;
      }
      const sites: string[] = [];
      if ('siteIds' in impact) {
        for (const [i, siteId] of impact.siteIds.entries()) {
          const v = projection.indexOf(siteId);
          if (v < 0 || !projection.isSite(v)) refused.push({ field: `scenario.impacts[${n}].siteIds[${i}]`, message: `site ${siteId} does not exist` });
          else sites.push(siteId);
        }
      } else {
        bySupplier ??= projection.sitesBySupplier();
        for (const [i, supplierId] of impact.supplierIds.entries()) {
          const s = projection.supplierIndexOf(supplierId);
          if (s < 0) refused.push({ field: `scenario.impacts[${n}].supplierIds[${i}]`, message: `supplier ${supplierId} does not exist` });
          else for (let k = bySupplier.start[s]; k < bySupplier.start[s + 1]; k++) sites.push(projection.nodeIds[bySupplier.sites[k]]);
        }
      }
      if (impact.x === 1) scenarios.push({ id, sites, recovery });
      else events.push({ id, type: SCENARIO_EVENT_TYPE, hits: sites.map((site) => ({ site, x: impact.x, days: impact.days })) });
    }
    if (refused.length) throw unknown(refused);
    return { events, scenarios };
  }
}

function unknown(refused: Array<{ field: string; message: string }>): TwinError {
  const named = refused.slice(0, MAX_NAMED);
  return new TwinError(TwinErrorCode.UnknownReference, named.map((r) => r.message).join('; '), { errors: named });
}

/** The engine's own checks (values in range, sites known), run before anything is stored or queued. */
function checkWithEngine(spec: TwinSpec, projection: Projection, mode: ResolvedTwinRequest['mode']): void {
  try {
    new TwinDraws({ ...spec, projection });
  } catch (error) {
    if (!(error instanceof TwinEngineError)) throw error;
    if (error.code === TwinEngineErrorCode.UnknownSite) throw new TwinError(TwinErrorCode.UnknownReference, error.message);
    throw new TwinError(mode === 'scenario' ? TwinErrorCode.InvalidScenario : TwinErrorCode.InvalidRequest, error.message);
  }
}
