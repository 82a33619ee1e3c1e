export { resolveSenml, SenmlPackError, SENML_VERSION, RELATIVE_TIME_LIMIT } from './senml';
export type { RecordError, ResolvedPack, ResolvedRecord } from './senml';
export { DEFAULT_RULES, parseRuleConfig, RULE_KINDS, RuleConfigError, rulesFor } from './rules';
export type { NoReadingRule, RateRule, RuleConfig, SensorRule, ThresholdRule } from './rules';
export { checkSilence, emptySensorState, evaluateReadings, impactOf } from './rule-engine';
export type { Evaluation, ImpactState, Reading, RuleState, SensorState, Transition } from './rule-engine';
export { fridgeTagToSenml, parseFridgeTag } from './fridge-tag.adapter';
export type { FridgeTagReport } from './fridge-tag.adapter';
