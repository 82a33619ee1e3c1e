import { readFileSync } from 'node:fs';
import { BaseEnv, ConfigError } from '@tiersight/config';
import { DEFAULT_RULES, parseRuleConfig, RuleConfig, RuleConfigError } from './rules';

export const TELEMETRY_RULES = Symbol('TELEMETRY_RULES');

/** The rules in force: TELEMETRY_RULES, else TELEMETRY_RULES_FILE, else the defaults. Fails at startup with every problem listed. */
export function loadRuleConfig(config: BaseEnv): RuleConfig {
  let text: string | undefined = config.TELEMETRY_RULES;
  let from = 'TELEMETRY_RULES';
  if (text === undefined && config.TELEMETRY_RULES_FILE) {
    from = `TELEMETRY_RULES_FILE (${config.TELEMETRY_RULES_FILE})`;
    try {
      text = readFileSync(config.TELEMETRY_RULES_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError([`${from} cannot be read: ${(error as Error).message}`]);
    }
  }
  if (text === undefined) return DEFAULT_RULES;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${from} is not JSON: ${(error as Error).message}`]);
  }
  try {
    return parseRuleConfig(json);
  } catch (error) {
    if (error instanceof RuleConfigError) throw new ConfigError(error.problems.map((p) => `${from}: ${p}`));
    throw error;
  }
}
