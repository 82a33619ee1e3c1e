import { ConfigError, loadConfig, WorkerEnv } from '@tiersight/config';
import { loadFeedConfig } from './feed-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(WorkerEnv, { NEO4J_PASSWORD: 'pw', ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('forecast track p settings (FORECAST_P_AT_0H, FORECAST_P_AT_120H)', () => {
  it("default to DESIGN §10's 0.9 at 0 h and 0.3 at 120 h", () => {
    expect(loadFeedConfig(loadConfig(WorkerEnv, { NEO4J_PASSWORD: 'pw' })).forecast).toEqual({ pAt0h: 0.9, pAt120h: 0.3 });
  });

  it('are read from the environment', () => {
    const env = loadConfig(WorkerEnv, { NEO4J_PASSWORD: 'pw', FORECAST_P_AT_0H: '0.8', FORECAST_P_AT_120H: '0.2' });
    expect(loadFeedConfig(env).forecast).toEqual({ pAt0h: 0.8, pAt120h: 0.2 });
  });

  it.each([
    [{ FORECAST_P_AT_0H: '1' }, /FORECAST_P_AT_0H/],
    [{ FORECAST_P_AT_0H: '0' }, /FORECAST_P_AT_0H/],
    [{ FORECAST_P_AT_120H: 'low' }, /FORECAST_P_AT_120H/],
    [{ FORECAST_P_AT_0H: '0.5', FORECAST_P_AT_120H: '0.6' }, /FORECAST_P_AT_120H must not exceed FORECAST_P_AT_0H/],
  ])('refuses %p', (env, message) => {
    expect(problemsOf(env)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});
