import type { BaseEnv } from '@tiersight/config';
import { DEFAULT_EXPOSURE_THRESHOLD } from '@tiersight/risk-engine';
import type { ScenarioImpact } from '@tiersight/risk-runs';
import { DEFAULT_HORIZON_DAYS, DEFAULT_KAPPA, DEFAULT_SIGMA, type DrawParameters, type RecoverySpread } from '@tiersight/twin-engine';
import { TwinError, TwinErrorCode } from './twin.error';

/** Runs of at most this many samples are answered at once; larger ones become jobs. */
export const SYNC_MAX_SAMPLES = 100;
/** Samples of a run that does not say. */
export const DEFAULT_SAMPLES = 1000;
/** The key of a draw table that stands for every event type. */
export const EVERY_TYPE = '*';
/** The event type of a scenario's area and partial-loss impacts. */
export const SCENARIO_EVENT_TYPE = 'scenario';

/** Overrides of the configured uncertainty for one run. */
export interface TwinParameters {
  /** Lognormal σ of durations per event type ("*": every type). */
  sigma?: Record<string, number>;
  /** Beta concentration κ of severities per event type ("*": every type; 0: exact). */
  kappa?: Record<string, number>;
  /** Site-down recovery ~ Triangular(ttr/(1+s), ttr, (1+s)·ttr); 0 is exact. */
  recoverySpread?: number;
}

/** A run as asked for: the live state (optionally some active events only) or a scenario, and how to sample it. */
export interface TwinRunRequest {
  scenario?: { impacts: ScenarioImpact[]; threshold?: number };
  /** Live state only: run these active events rather than all. */
  eventIds?: string[];
  samples?: number;
  horizonDays?: number;
  /** Integer in [0, 2^32); drawn at random (and recorded) when absent. */
  seed?: number;
  threshold?: number;
  parameters?: TwinParameters;
}

/** The request with every default filled in: what a run records and what two runs are compared on. */
export interface ResolvedTwinRequest {
  mode: 'live' | 'scenario';
  scenario: { impacts: ScenarioImpact[] } | null;
  eventIds: string[] | null;
  samples: number;
  horizonDays: number;
  seed: number;
  threshold: number;
  /** Contributions are estimated on at most the first this-many samples (fewer with many events: contributionSamplesFor). */
  contributionSamples: number;
  /** The run's own overrides (the configuration fills the rest when the run is built) and the recovery spread in force. */
  parameters: { sigma: Record<string, number>; kappa: Record<string, number>; recoverySpread: number };
}

/** The configuration a run reads. */
export type TwinConfig = Pick<
  BaseEnv,
  'TWIN_SIGMA' | 'TWIN_KAPPA' | 'TWIN_RECOVERY_SPREAD' | 'TWIN_MAX_SAMPLES' | 'TWIN_MAX_HORIZON_DAYS' | 'TWIN_CONTRIBUTION_SAMPLES'
>;

/**
 * Contributions leave every driver out in turn: a contribution sample costs
 * about one solve of every driver's cone, 25–100 times a plain sample with
 * 100 events (bench:twin). They are estimated on at most samples × this ÷
 * drivers samples, so they cost about as much as the run's own samples.
 */
export const CONTRIBUTION_BUDGET = 1;

/** Samples whose contributions a run estimates: the request's cap, within the budget, at least one (unless the cap is 0). */
export function contributionSamplesFor(cap: number, samples: number, drivers: number): number {
  if (drivers === 0) return Math.min(cap, samples);
  return Math.min(cap, samples, Math.max(1, Math.floor((samples * CONTRIBUTION_BUDGET) / drivers)));
}

/**
 * Fills the defaults of a request and checks what depends on the
 * configuration (the DTO checks shapes): samples and horizon within the
 * configured maxima, draw parameters finite and non-negative.
 */
export function resolveRequest(request: TwinRunRequest, config: TwinConfig, randomSeed: () => number): ResolvedTwinRequest {
  const errors: Array<{ field: string; message: string }> = [];
  const samples = request.samples ?? DEFAULT_SAMPLES;
  if (!(Number.isInteger(samples) && samples >= 1 && samples <= config.TWIN_MAX_SAMPLES)) {
    errors.push({ field: 'samples', message: `must be an integer from 1 to ${config.TWIN_MAX_SAMPLES}` });
  }
  const horizonDays = request.horizonDays ?? Math.min(DEFAULT_HORIZON_DAYS, config.TWIN_MAX_HORIZON_DAYS);
  if (!(Number.isInteger(horizonDays) && horizonDays >= 1 && horizonDays <= config.TWIN_MAX_HORIZON_DAYS)) {
    errors.push({ field: 'horizonDays', message: `must be an integer from 1 to ${config.TWIN_MAX_HORIZON_DAYS}` });
  }
  const seed = request.seed ?? randomSeed();
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) errors.push({ field: 'seed', message: 'must be an integer in [0, 2^32)' });
  const threshold = request.threshold ?? request.scenario?.threshold ?? DEFAULT_EXPOSURE_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) errors.push({ field: 'threshold', message: 'must be in [0, 1]' });
  const given = request.parameters ?? {};
  for (const table of ['sigma', 'kappa'] as const) {
    for (const [type, value] of Object.entries(given[table] ?? {})) {
      if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0))
        errors.push({ field: `parameters.${table}.${type}`, message: 'must be a finite number >= 0' });
    }
  }
  const recoverySpread = given.recoverySpread ?? config.TWIN_RECOVERY_SPREAD;
  if (!(Number.isFinite(recoverySpread) && recoverySpread >= 0)) errors.push({ field: 'parameters.recoverySpread', message: 'must be a finite number >= 0' });
  if (request.scenario && request.eventIds) errors.push({ field: 'eventIds', message: 'applies to the live state only, not to a scenario' });
  if (errors.length) throw new TwinError(TwinErrorCode.InvalidRequest, errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
  return {
    mode: request.scenario ? 'scenario' : 'live',
    scenario: request.scenario ? { impacts: request.scenario.impacts } : null,
    eventIds: request.eventIds ? [...new Set(request.eventIds)].sort() : null,
    samples,
    horizonDays,
    seed,
    threshold,
    contributionSamples: Math.min(samples, samples <= SYNC_MAX_SAMPLES ? samples : config.TWIN_CONTRIBUTION_SAMPLES),
    parameters: { sigma: { ...given.sigma }, kappa: { ...given.kappa }, recoverySpread },
  };
}

/**
 * The draw parameters of each event type that occurs: the run's own value
 * for the type, else the run's "*", else the configured value for the type,
 * else the configured "*", else DESIGN §9's defaults (σ 0.5, κ 20).
 */
export function drawParametersFor(
  types: Iterable<string>,
  overrides: TwinParameters | undefined,
  config: Pick<TwinConfig, 'TWIN_SIGMA' | 'TWIN_KAPPA'>,
): Record<string, DrawParameters> {
  const pick = (table: 'sigma' | 'kappa', configured: Record<string, number>, fallback: number, type: string) =>
    overrides?.[table]?.[type] ?? overrides?.[table]?.[EVERY_TYPE] ?? configured[type] ?? configured[EVERY_TYPE] ?? fallback;
  const out: Record<string, DrawParameters> = {};
  for (const type of [...new Set(types)].sort()) {
    out[type] = { sigma: pick('sigma', config.TWIN_SIGMA, DEFAULT_SIGMA, type), kappa: pick('kappa', config.TWIN_KAPPA, DEFAULT_KAPPA, type) };
  }
  return out;
}

/** The recovery bounds (multiples of ttr) of a spread s: [1/(1+s), 1+s], so s = 1 is DESIGN §9's (0.5, 2) and s = 0 exact. */
export function recoveryOf(spread: number): RecoverySpread {
  return { low: 1 / (1 + spread), high: 1 + spread };
}
