import { DEFAULT_SEVERITY_POLICY, SeverityPolicy } from '@tiersight/feed-formats';
import { FeedConfigError } from './feed-sources';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The default policy with the values of `override` put in place. Only keys
 * the default has are accepted and each value must have the default's type,
 * so a typo in the file is a startup error rather than a silently ignored key.
 */
export function applySeverityOverride(override: unknown, base: SeverityPolicy = DEFAULT_SEVERITY_POLICY): SeverityPolicy {
  const problems: string[] = [];
  const merged = merge(base, override, 'policy', problems);
  if (problems.length) throw new FeedConfigError(`SEVERITY_POLICY_FILE: ${problems.join('; ')}`);
  // Without problems, merge kept only the base's keys, each with a value of the base's type: a SeverityPolicy.
  return merged as SeverityPolicy;
}

function merge(base: unknown, override: unknown, path: string, problems: string[]): unknown {
  if (override === undefined) return base;
  if (isPlain(base)) {
    if (!isPlain(override)) {
      problems.push(`${path} must be an object`);
      return base;
    }
    const out: Plain = { ...base };
    for (const [key, value] of Object.entries(override)) {
      if (!(key in base)) problems.push(`${path}.${key} is not a policy setting`);
      else out[key] = merge(base[key], value, `${path}.${key}`, problems);
    }
    return out;
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(override)) problems.push(`${path} must be an array`);
    return Array.isArray(override) ? override : base;
  }
  if (typeof override !== typeof base) {
    problems.push(`${path} must be a ${typeof base}`);
    return base;
  }
  if (typeof override === 'number' && !Number.isFinite(override)) problems.push(`${path} must be a finite number`);
  return override;
}
