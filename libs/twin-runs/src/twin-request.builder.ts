import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@tiersight/config';
import { EventRepository, GraphError, GraphErrorCode, type AnticipatedImpact } from '@tiersight/graph';
import type { Projection } from '@tiersight/risk-engine';
import { ProjectionCache, ScenarioService, type ScenarioImpact } from '@tiersight/risk-runs';
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
import { contributionSamplesFor, drawParametersFor, recoveryOf, SCENARIO_EVENT_TYPE, type ResolvedTwinRequest, type TwinConfig } from './twin-settings';

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
 * a fired sensor rule, are taken as given (not drawn). Anticipated impacts
 * (DESIGN §10) are present in a sample with their probability.
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
    private readonly scenarios: ScenarioService,
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
    const [rows, anticipatedRows] = await Promise.all([this.events.activeImpacts(eventIds ?? undefined), this.events.anticipatedImpacts()]);
    // As the risk worker does: a site the projection does not hold yet is left out.
    const known = (siteId: string) => {
      const v = projection.indexOf(siteId);
      return v >= 0 && projection.isSite(v);
    };
    const byEvent = new Map<string, TwinEvent & { hits: TwinHit[] }>();
    for (const row of rows) {
      if (!known(row.siteId)) continue;
      let event = byEvent.get(row.eventId);
      if (!event) byEvent.set(row.eventId, (event = { id: row.eventId, type: row.eventType, hits: [] }));
      event.hits.push({ site: row.siteId, x: row.x, days: row.days, source: row.source });
    }
    return { events: [...byEvent.values(), ...anticipatedEvents(anticipatedRows, eventIds, known, new Set(byEvent.keys()))], scenarios: [] };
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
    impacts: readonly ScenarioImpact[],
    recovery: RecoverySpread,
  ): Promise<{ events: TwinEvent[]; scenarios: SiteDownScenario[] }> {
    const { sites, unknown: refused } = await this.scenarios.resolveSites(projection, impacts);
    if (refused.length) {
      throw unknown(refused.map((r) => ({ field: `scenario.impacts[${r.impact}].${r.list}[${r.index}]`, message: `${r.kind} ${r.id} does not exist` })));
    }
    const events: TwinEvent[] = [];
    const scenarios: SiteDownScenario[] = [];
    for (const [n, impact] of impacts.entries()) {
      const id = `scenario-${n + 1}`;
      const x = 'geometry' in impact ? impact.severity : impact.x;
      // Stored with the run and re-read by worker threads: by id, not by this projection's node index.
      const ids = sites[n].map((v) => projection.nodeIds[v]);
      if (!('geometry' in impact) && x === 1) scenarios.push({ id, sites: ids, recovery });
      else events.push({ id, type: SCENARIO_EVENT_TYPE, hits: ids.map((site) => ({ site, x, days: impact.days })) });
    }
    return { events, scenarios };
  }
}

/**
 * Anticipated impacts (DESIGN §10) as twin events present with their
 * probability, one draw per event: an event's hits with one p are one twin
 * event. Hits of one event with different p (a forecast cone, p falling with
 * lead time) are one twin event per p, each drawn on its own, and an event
 * that also has observed hits keeps those under its own id; the anticipated
 * ones are then named `<id> (anticipated …)`. A forecast sensor hit is taken
 * as given like a fired rule's; other anticipated hits are estimates.
 */
function anticipatedEvents(
  rows: readonly AnticipatedImpact[],
  eventIds: readonly string[] | null,
  known: (siteId: string) => boolean,
  observed: ReadonlySet<string>,
): TwinEvent[] {
  const wanted = eventIds ? new Set(eventIds) : null;
  const groups = new Map<string, Map<number, AnticipatedImpact[]>>();
  for (const row of rows) {
    if ((wanted && !wanted.has(row.eventId)) || !known(row.siteId)) continue;
    let byP = groups.get(row.eventId);
    if (!byP) groups.set(row.eventId, (byP = new Map()));
    const hits = byP.get(row.p);
    if (hits) hits.push(row);
    else byP.set(row.p, [row]);
  }
  const events: TwinEvent[] = [];
  for (const [eventId, byP] of groups) {
    const split = byP.size > 1;
    for (const [p, hits] of [...byP].sort(([a], [b]) => b - a)) {
      const id = !split && !observed.has(eventId) ? eventId : `${eventId} (anticipated${split ? `, p ${p}` : ''})`;
      events.push({
        id,
        type: hits[0].eventType,
        probability: p,
        hits: hits.map((h) => ({ site: h.siteId, x: h.x, days: h.days, source: h.source === 'sensor' ? 'sensor' : 'estimate' })),
      });
    }
  }
  return events;
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
