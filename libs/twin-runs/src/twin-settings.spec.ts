import { BaseEnv, ConfigError, loadConfig } from '@tiersight/config';
import { TwinError, TwinErrorCode } from './twin.error';
import { contributionSamplesFor, drawParametersFor, recoveryOf, resolveRequest, type TwinConfig } from './twin-settings';

const config: TwinConfig = {
  TWIN_SIGMA: { earthquake: 0.7, '*': 0.4 },
  TWIN_KAPPA: { flood: 5 },
  TWIN_RECOVERY_SPREAD: 1,
  TWIN_MAX_SAMPLES: 5000,
  TWIN_MAX_HORIZON_DAYS: 365,
  TWIN_CONTRIBUTION_SAMPLES: 200,
};
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error as TwinError;
  }
  throw new Error('not refused');
};

describe('twin settings', () => {
  it('fills the defaults of a live-state request, seed drawn once', () => {
    expect(resolveRequest({}, config, () => 1234)).toEqual({
      mode: 'live',
      scenario: null,
      eventIds: null,
      samples: 1000,
      horizonDays: 180,
      seed: 1234,
      threshold: 0.05,
      contributionSamples: 200,
      parameters: { sigma: {}, kappa: {}, recoverySpread: 1 },
    });
  });

  it('estimates contributions on every sample of a small run, and takes the scenario threshold unless the run sets one', () => {
    const scenario = { impacts: [{ siteIds: ['S'], x: 1, days: 3 }], threshold: 0.2 };
    expect(resolveRequest({ samples: 80, scenario }, config, () => 0)).toMatchObject({ mode: 'scenario', contributionSamples: 80, threshold: 0.2 });
    expect(resolveRequest({ samples: 150, scenario, threshold: 0.1 }, config, () => 0)).toMatchObject({ contributionSamples: 150, threshold: 0.1 });
    expect(resolveRequest({ samples: 4000 }, config, () => 0).contributionSamples).toBe(200);
  });

  it('refuses samples and horizons past the configured maxima, and event ids with a scenario, naming each field', () => {
    const error = refusal(() => resolveRequest({ samples: 5001, horizonDays: 366, eventIds: ['E'], scenario: { impacts: [] } }, config, () => 0));
    expect(error).toBeInstanceOf(TwinError);
    expect(error.code).toBe(TwinErrorCode.InvalidRequest);
    expect(error.details?.errors?.map((e) => e.field)).toEqual(['samples', 'horizonDays', 'eventIds']);
    expect(resolveRequest({ samples: 5000, horizonDays: 365 }, config, () => 0).samples).toBe(5000);
  });

  it('takes σ and κ per type from the run, then the run’s "*", then the configuration, then DESIGN §9’s defaults', () => {
    expect(drawParametersFor(['earthquake', 'flood', 'storm'], undefined, config)).toEqual({
      earthquake: { sigma: 0.7, kappa: 20 },
      flood: { sigma: 0.4, kappa: 5 },
      storm: { sigma: 0.4, kappa: 20 },
    });
    expect(drawParametersFor(['earthquake', 'flood'], { sigma: { '*': 0 }, kappa: { flood: 0 } }, config)).toEqual({
      earthquake: { sigma: 0, kappa: 20 },
      flood: { sigma: 0, kappa: 0 },
    });
    expect(drawParametersFor(['x'], undefined, { TWIN_SIGMA: {}, TWIN_KAPPA: {} })).toEqual({ x: { sigma: 0.5, kappa: 20 } });
  });

  it('turns the recovery spread into triangular bounds around ttr', () => {
    expect(recoveryOf(1)).toEqual({ low: 0.5, high: 2 });
    expect(recoveryOf(0)).toEqual({ low: 1, high: 1 });
    expect(recoveryOf(3)).toEqual({ low: 0.25, high: 4 });
  });

  it('reads TWIN_SIGMA and TWIN_KAPPA as JSON tables and lists every bad twin variable at start', () => {
    const env = { NEO4J_PASSWORD: 'x', TWIN_SIGMA: '{"earthquake": 0.7, "*": 0.3}', TWIN_MAX_SAMPLES: '2000' };
    const loaded = loadConfig(BaseEnv, env);
    expect(loaded.TWIN_SIGMA).toEqual({ earthquake: 0.7, '*': 0.3 });
    expect(loaded.TWIN_KAPPA).toEqual({});
    expect(loaded.TWIN_MAX_SAMPLES).toBe(2000);
    const bad = refusal(() =>
      loadConfig(BaseEnv, { NEO4J_PASSWORD: 'x', TWIN_SIGMA: '{"flood": -1}', TWIN_KAPPA: 'not json', TWIN_THREADS: '-1' }),
    ) as unknown as ConfigError;
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad.problems.join('\n')).toMatch(/TWIN_SIGMA must be a JSON object/);
    expect(bad.problems.join('\n')).toMatch(/TWIN_KAPPA must be a JSON object/);
    expect(bad.problems.join('\n')).toMatch(/TWIN_THREADS/);
  });

  it('estimates contributions on as many samples as keep their cost near the run’s own, at least one', () => {
    expect(contributionSamplesFor(200, 1000, 100)).toBe(10); // 100 events: 10 samples, each leaving 100 events out
    expect(contributionSamplesFor(200, 1000, 3)).toBe(200); // the cap
    expect(contributionSamplesFor(200, 50, 3)).toBe(16);
    expect(contributionSamplesFor(200, 20, 100)).toBe(1);
    expect(contributionSamplesFor(0, 1000, 3)).toBe(0); // none asked for
    expect(contributionSamplesFor(200, 30, 0)).toBe(30);
  });
});
