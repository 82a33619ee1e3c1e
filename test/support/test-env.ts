import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { ApiEnv, loadConfig, WorkerEnv } from '@tiersight/config';

/** Local service defaults when the suite runs without `npm test` (which sets them from scripts/dev/dev-env.mjs). */
export const LOCAL_SERVICES = {
  NEO4J_URI: 'bolt://127.0.0.1:7687',
  NEO4J_USER: 'neo4j',
  NEO4J_PASSWORD: 'tiersight-dev',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

/** A short unique prefix per test file: ids and queue prefixes never meet another run's. */
export const uniquePrefix = (label: string) => `T${randomBytes(4).toString('hex')}-${label}-`;

export function apiConfig(overrides: Record<string, string> = {}): ApiEnv {
  return loadConfig(ApiEnv, { ...LOCAL_SERVICES, ...process.env, LOG_LEVEL: 'silent', ...overrides });
}

export function workerConfig(overrides: Record<string, string> = {}): WorkerEnv {
  return loadConfig(WorkerEnv, { ...LOCAL_SERVICES, ...process.env, LOG_LEVEL: 'silent', ...overrides });
}

export const silentLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
