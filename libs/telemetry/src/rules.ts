import { MAX_DAYS } from '@tiersight/contracts';

/**
 * Sensor rules per metric (configuration, validated at startup). Each rule,
 * while it fires at a sensor, gives the sensor's site a direct impact (x, d)
 * (DESIGN §3.1) and clears it when its condition ends.
 */

interface RuleCommon {
  /** Unique within a metric; part of the impact's event id, so keep it stable. */
  id: string;
  /** Fraction of the site's output lost while the rule fires (0 < x <= 1). */
  x: number;
  /** Expected days of that loss. */
  days: number;
}

/**
 * The value stays strictly above (or below) `threshold` for at least `forMinutes`; clears at the first reading back inside.
 * Forecast as well (DESIGN §10) unless `anticipate` is false: the rule's impact is anticipated once the probability
 * of crossing within `horizonMinutes` (default 120) reaches `pMin` (default 0.8).
 */
export interface ThresholdRule extends RuleCommon {
  kind: 'above' | 'below';
  threshold: number;
  forMinutes: number;
  anticipate?: boolean;
  horizonMinutes?: number;
  pMin?: number;
}

/** The change between two consecutive readings exceeds `maxPerMinute` (absolute, units per minute); clears at the next calm step. */
export interface RateRule extends RuleCommon {
  kind: 'rate';
  maxPerMinute: number;
}

/** No reading for `minutes` (checked periodically by the worker); clears at the next reading. */
export interface NoReadingRule extends RuleCommon {
  kind: 'no-reading';
  minutes: number;
}

export type SensorRule = ThresholdRule | RateRule | NoReadingRule;
export const RULE_KINDS = ['above', 'below', 'rate', 'no-reading'] as const;

/** Rules by metric name; the rules under "*" apply to every metric as well. */
export interface RuleConfig {
  metrics: Record<string, SensorRule[]>;
}

/**
 * The defaults. Temperature follows the cold-chain alarms of a Berlinger
 * Fridge-tag 2 L (above +8.0 °C or below +2.0 °C for 60 minutes); a sensor
 * silent for an hour gives a small impact, since its site can no longer be watched.
 */
export const DEFAULT_RULES: RuleConfig = {
  metrics: {
    '*': [{ id: 'silent', kind: 'no-reading', minutes: 60, x: 0.05, days: 1 }],
    temperature: [
      { id: 'too-warm', kind: 'above', threshold: 8, forMinutes: 60, x: 0.5, days: 7 },
      { id: 'too-cold', kind: 'below', threshold: 2, forMinutes: 60, x: 0.5, days: 7 },
      { id: 'swing', kind: 'rate', maxPerMinute: 1, x: 0.1, days: 1 },
    ],
    humidity: [{ id: 'too-humid', kind: 'above', threshold: 80, forMinutes: 120, x: 0.2, days: 3 }],
  },
};

export class RuleConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid telemetry rules: ${problems.join('; ')}`);
    this.name = 'RuleConfigError';
  }
}

/** A forecast further ahead than a day is a guess, not a trend. */
const MAX_HORIZON_MINUTES = 24 * 60;
const RULE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const METRIC = /^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;
const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Validates a rule configuration (parsed JSON); every problem is listed in one error. */
export function parseRuleConfig(input: unknown): RuleConfig {
  const problems: string[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new RuleConfigError(['the rules must be a JSON object {"metrics": {...}}']);
  const metrics = (input as { metrics?: unknown }).metrics;
  if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics))
    throw new RuleConfigError(['"metrics" must be an object of metric name → list of rules']);
  const out: RuleConfig = { metrics: {} };
  for (const [metric, list] of Object.entries(metrics as Record<string, unknown>)) {
    if (!METRIC.test(metric)) problems.push(`metric "${metric}": names are letters, digits, . _ - (or "*")`);
    if (!Array.isArray(list)) {
      problems.push(`metric "${metric}": expected a list of rules`);
      continue;
    }
    const ids = new Set<string>();
    out.metrics[metric] = [];
    list.forEach((raw, i) => {
      const at = `metric "${metric}" rule ${i}`;
      const r = (raw ?? {}) as Record<string, unknown>;
      const before = problems.length;
      if (typeof r.id !== 'string' || !RULE_ID.test(r.id)) problems.push(`${at}: id must be 1-40 lower-case letters, digits or -`);
      else if (ids.has(r.id)) problems.push(`${at}: duplicate id "${r.id}"`);
      else ids.add(r.id);
      if (!RULE_KINDS.includes(r.kind as never)) problems.push(`${at}: kind must be one of ${RULE_KINDS.join(', ')}`);
      if (!num(r.x) || r.x <= 0 || r.x > 1) problems.push(`${at}: x must be a number in (0, 1]`);
      if (!num(r.days) || r.days < 0 || r.days > MAX_DAYS) problems.push(`${at}: days must be a number in [0, ${MAX_DAYS}]`);
      if (r.kind === 'above' || r.kind === 'below') {
        if (!num(r.threshold)) problems.push(`${at}: threshold must be a number`);
        if (!num(r.forMinutes) || r.forMinutes < 0) problems.push(`${at}: forMinutes must be a number >= 0`);
        if (r.anticipate !== undefined && typeof r.anticipate !== 'boolean') problems.push(`${at}: anticipate must be true or false`);
        if (r.horizonMinutes !== undefined && (!num(r.horizonMinutes) || r.horizonMinutes <= 0 || r.horizonMinutes > MAX_HORIZON_MINUTES))
          problems.push(`${at}: horizonMinutes must be a number in (0, ${MAX_HORIZON_MINUTES}]`);
        if (r.pMin !== undefined && (!num(r.pMin) || r.pMin <= 0 || r.pMin > 1)) problems.push(`${at}: pMin must be a number in (0, 1]`);
      } else if (r.kind === 'rate') {
        if (!num(r.maxPerMinute) || r.maxPerMinute <= 0) problems.push(`${at}: maxPerMinute must be a number > 0`);
      } else if (r.kind === 'no-reading') {
        if (!num(r.minutes) || r.minutes <= 0) problems.push(`${at}: minutes must be a number > 0`);
      }
      if (r.kind !== 'above' && r.kind !== 'below' && ['anticipate', 'horizonMinutes', 'pMin'].some((k) => r[k] !== undefined))
        problems.push(`${at}: anticipate, horizonMinutes and pMin belong to threshold rules (above, below)`);
      if (problems.length === before) out.metrics[metric].push(pick(r));
    });
  }
  if (problems.length) throw new RuleConfigError(problems);
  return out;
}

function pick(r: Record<string, unknown>): SensorRule {
  const common = { id: r.id as string, x: r.x as number, days: r.days as number };
  switch (r.kind as SensorRule['kind']) {
    case 'above':
    case 'below':
      return {
        ...common,
        kind: r.kind as 'above' | 'below',
        threshold: r.threshold as number,
        forMinutes: r.forMinutes as number,
        ...(r.anticipate !== undefined ? { anticipate: r.anticipate as boolean } : {}),
        ...(r.horizonMinutes !== undefined ? { horizonMinutes: r.horizonMinutes as number } : {}),
        ...(r.pMin !== undefined ? { pMin: r.pMin as number } : {}),
      };
    case 'rate':
      return { ...common, kind: 'rate', maxPerMinute: r.maxPerMinute as number };
    case 'no-reading':
      return { ...common, kind: 'no-reading', minutes: r.minutes as number };
  }
}

/** The rules that apply to a metric: its own, then the "*" ones whose id it does not override. */
export function rulesFor(config: RuleConfig, metric: string): SensorRule[] {
  const own = config.metrics[metric] ?? [];
  const ids = new Set(own.map((r) => r.id));
  return [...own, ...(config.metrics['*'] ?? []).filter((r) => !ids.has(r.id))];
}
