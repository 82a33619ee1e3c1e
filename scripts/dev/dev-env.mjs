// Environment for local runs of the npm scripts: the process environment, then
// a `.env` file at the repository root, then the defaults of the local services
// that `npm run services:up` starts. The apps themselves have no default for
// secrets; only these local-development scripts do.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const LOCAL_DEFAULTS = {
  NEO4J_URI: 'bolt://127.0.0.1:7687',
  NEO4J_USER: 'neo4j',
  NEO4J_PASSWORD: 'tiersight-dev',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MQTT_URL: 'mqtt://127.0.0.1:1883',
};

export function readDotEnv(file = join(ROOT, '.env')) {
  if (!existsSync(file)) return {};
  const out = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** process.env wins over .env, which wins over the local defaults. */
export function devEnv(extra = {}) {
  const env = { ...LOCAL_DEFAULTS, ...readDotEnv(), ...process.env, ...extra };
  return env;
}
