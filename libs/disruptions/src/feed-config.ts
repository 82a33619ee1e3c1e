import { readFileSync } from 'node:fs';
import { BaseEnv } from '@tiersight/config';
import { DEFAULT_SEVERITY_POLICY, SeverityPolicy } from '@tiersight/feed-formats';
import type { ForecastPOptions } from '@tiersight/geo-engine';
import { FeedConfigError, FeedSource, parseFeedSources } from './feed-sources';
import { applySeverityOverride } from './severity-policy-config';

export const FEED_CONFIG = Symbol('FEED_CONFIG');

/** The feeds to pull, the severity policy and how forecast tracks set p, read once at startup. */
export interface FeedConfig {
  sources: FeedSource[];
  policy: SeverityPolicy;
  fetchTimeoutMs: number;
  /** p of an anticipated impact by lead time (FORECAST_P_AT_0H, FORECAST_P_AT_120H), for every matching of an event's area. */
  forecast: ForecastPOptions;
}

/** Reads FEEDS / FEEDS_FILE and SEVERITY_POLICY_FILE; a problem stops the process with one line. */
export function loadFeedConfig(env: BaseEnv): FeedConfig {
  let sources: FeedSource[] = [];
  if (env.FEEDS) sources = parseFeedSources(env.FEEDS, 'FEEDS');
  else if (env.FEEDS_FILE) sources = parseFeedSources(readText(env.FEEDS_FILE, 'FEEDS_FILE'), `FEEDS_FILE ${env.FEEDS_FILE}`);
  let policy = DEFAULT_SEVERITY_POLICY;
  if (env.SEVERITY_POLICY_FILE) {
    const text = readText(env.SEVERITY_POLICY_FILE, 'SEVERITY_POLICY_FILE');
    let override: unknown;
    try {
      override = JSON.parse(text);
    } catch (error) {
      throw new FeedConfigError(`SEVERITY_POLICY_FILE ${env.SEVERITY_POLICY_FILE} is not valid JSON: ${(error as Error).message}`);
    }
    policy = applySeverityOverride(override);
  }
  return {
    sources,
    policy,
    fetchTimeoutMs: env.FEED_FETCH_TIMEOUT_MS,
    forecast: { pAt0h: env.FORECAST_P_AT_0H, pAt120h: env.FORECAST_P_AT_120H },
  };
}

function readText(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new FeedConfigError(`${variable}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
